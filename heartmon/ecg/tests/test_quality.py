"""Signal quality per 10-second segment: flat lines, clipping and noise are named, and nothing
is reported inside an unusable segment."""

import numpy as np

from heartmon.ecg.findings import LeadSignal, analyse
from heartmon.ecg.quality import CLIPPING, FLAT, NOISE
from heartmon.ecg.tests.records import PATHS, scored
from heartmon.ecg.tests.test_detector import FS, regular_beats, synthetic_ecg

SECONDS = 60


def clean() -> tuple[np.ndarray, np.ndarray]:
    beats = regular_beats(bpm=72, duration=SECONDS)
    return beats, synthetic_ecg(beats, duration=SECONDS)


def segment(number: int) -> slice:
    return slice(int(number * 10 * FS), int((number + 1) * 10 * FS))


def test_a_clean_lead_is_usable_throughout_with_no_reason() -> None:
    findings = analyse(clean()[1], FS)

    assert findings.quality.score.tolist() == [1.0] * 6
    assert findings.quality.reason == [""] * 6


def test_a_flat_segment_is_unusable_and_has_no_beats_or_rate() -> None:
    _, lead = clean()
    lead[segment(2)] = 0.3

    findings = analyse(lead, FS)

    assert findings.quality.reason[2] == FLAT
    assert not findings.quality.usable[2]
    assert not np.any((findings.r_peaks >= 20 * FS) & (findings.r_peaks < 30 * FS))
    assert np.all(np.isnan(findings.heart_rate[20:30]))
    assert np.all(np.isfinite(findings.heart_rate[5:19]))
    assert findings.pauses == []  # the gap is unknown, not a pause


def test_a_clipped_segment_is_named() -> None:
    _, lead = clean()
    lead[segment(3)] = np.clip(lead[segment(3)], -0.1, 0.1)

    findings = analyse(lead, FS)

    assert findings.quality.reason[3] == CLIPPING
    assert not findings.quality.usable[3]


def test_a_noise_burst_as_tall_as_the_beats_is_unusable() -> None:
    _, lead = clean()
    noise = np.random.default_rng(3).normal(0, 1.0, segment(4).stop - segment(4).start)
    lead[segment(4)] += noise

    findings = analyse(lead, FS)

    assert findings.quality.reason[4] == NOISE
    assert not findings.quality.usable[4]
    assert np.all(np.isnan(findings.heart_rate[40:50]))
    assert findings.quality.usable[[0, 1, 2, 3]].all()


def test_the_second_lead_stands_in_where_the_first_is_flat() -> None:
    beats, lead = clean()
    first = lead.copy()
    first[segment(2)] = 0.0

    findings = analyse(np.stack([first, lead], axis=1), FS)

    assert findings.segment_leads.tolist() == [0, 0, 1, 0, 0, 0]
    assert findings.quality.usable.all()
    assert len(findings.r_peaks) == len(beats)


class Noted:
    """A lead that notes the slices the analysis reads of it, as a stored lead is read."""

    def __init__(self, values: np.ndarray) -> None:
        self.values = values
        self.read: list[tuple[int, int]] = []

    def __len__(self) -> int:
        return len(self.values)

    def __getitem__(self, index: slice, /) -> np.ndarray:
        self.read.append((index.start, index.stop))
        return self.values[index]


def test_another_lead_is_read_only_around_the_first_ones_poor_segments() -> None:
    beats, lead = clean()
    first = lead.copy()
    first[segment(3)] = 0.0
    second = Noted(lead)
    leads: list[LeadSignal] = [first, second]

    findings = analyse(leads, FS)

    assert second.read == [(segment(2).start, segment(4).stop)]  # with a segment either side
    assert findings.segment_leads.tolist() == [0, 0, 0, 1, 0, 0]
    assert len(findings.r_peaks) == len(beats)


def test_another_lead_is_not_read_where_the_first_is_good() -> None:
    second = Noted(clean()[1])
    leads: list[LeadSignal] = [clean()[1], second]

    analyse(leads, FS)

    assert second.read == []


def test_the_shared_records_have_no_unusable_segment() -> None:
    for name in PATHS:
        assert scored(name).findings.quality.usable.all(), name
