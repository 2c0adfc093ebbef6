"""Beat detection on each closed chunk of a live recording, with the seconds before as context."""

import numpy as np
import pytest

from heartmon.ecg.tests.test_detector import FS, regular_beats, synthetic_ecg, with_baseline_noise
from heartmon.live.beats import analyse_chunk, context_of


def lead_with_beats(beats: np.ndarray, duration: float) -> np.ndarray:
    return with_baseline_noise(synthetic_ecg(beats, duration=duration)).astype(np.float32)


def test_a_chunk_gets_its_own_beats_and_rate_per_second():
    lead = lead_with_beats(regular_beats(bpm=75, duration=40), 40)
    context, chunk = context_of(lead[: int(10 * FS)], FS), lead[int(10 * FS) :]

    found = analyse_chunk(context, chunk, FS)

    assert len(context) == 8 * FS
    assert found.beats.min() >= 0
    assert len(found.beats) == pytest.approx(30 * 75 / 60, abs=2)
    assert [second for second, _ in found.rates] == list(range(len(found.rates)))
    assert all(bpm == pytest.approx(75, abs=1) for _, bpm in found.rates[2:])
    assert found.pauses == []


def test_an_asystole_ending_in_the_chunk_is_reported_with_a_falling_rate():
    beats = np.concatenate([regular_beats(bpm=60, duration=20), 25.5 + np.arange(14)])
    lead = lead_with_beats(beats, 40)  # no beat from 18.5 s to 25.5 s
    context, chunk = context_of(lead[: int(10 * FS)], FS), lead[int(10 * FS) :]

    found = analyse_chunk(context, chunk, FS)

    assert [(pause.kind, pause.seconds) for pause in found.pauses] == [
        ("asystole", pytest.approx(7.0, abs=0.02))
    ]
    assert found.pauses[0].start == pytest.approx(8.5 * FS, abs=3)  # the beat before it
    rate_at = dict(found.rates)
    assert rate_at[14] < 20.5  # 5.5 s into the pause: the floor of 20 bpm
    assert rate_at[6] == pytest.approx(60, abs=1)


def test_a_chunk_without_context_starts_the_recording():
    lead = lead_with_beats(regular_beats(bpm=70, duration=30), 30)

    found = analyse_chunk(lead[:0], lead, FS)

    assert len(found.beats) == pytest.approx(35, abs=2)
