"""Pauses (every interval of 3 s or more) and asystole (4 s or more)."""

import numpy as np
import pytest

from heartmon.ecg.findings import analyse
from heartmon.ecg.tests.records import DEV, reference_pauses, scored
from heartmon.ecg.tests.test_detector import (
    FS,
    regular_beats,
    synthetic_ecg,
    with_baseline_noise,
)


def test_a_three_second_gap_is_a_pause_and_a_five_second_one_asystole() -> None:
    beats = np.concatenate(
        [regular_beats(bpm=60, duration=20), 21.7 + np.arange(10), 35.7 + np.arange(8)]
    )  # beats until 18.5 s, from 21.7 to 30.7 s, from 35.7 s

    findings = analyse(with_baseline_noise(synthetic_ecg(beats, duration=44)), FS)

    found = [(pause.kind, round(pause.start / FS, 1), pause.seconds) for pause in findings.pauses]
    assert found == [
        ("pause", 18.5, pytest.approx(3.2, abs=0.01)),
        ("asystole", 30.7, pytest.approx(5.0, abs=0.01)),
    ]


def test_record_232_reports_every_reference_pause() -> None:
    ours = [pause.start for pause in scored("232").findings.pauses]
    reference = reference_pauses("232")

    assert len(reference) == 32
    for pause in reference:
        assert np.min(np.abs(np.asarray(ours) - pause.start)) <= 0.15 * 360


@pytest.mark.parametrize("name", ["100", *[name for name in DEV if name != "232"]])
def test_no_pause_is_invented_on_the_other_records(name: str) -> None:
    assert scored(name).findings.pauses == []
