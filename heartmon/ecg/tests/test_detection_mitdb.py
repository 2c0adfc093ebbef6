"""Beat detection scored the field's way on the MIT-BIH records kept with the tests: a detection
within 150 ms of a reference beat is a true positive; whole records, beat annotations only."""

import numpy as np
import pytest

from heartmon.ecg.tests.records import DEV, PATHS, scored

# A little below what the detector measures (README, Benchmarks), so a regression shows.
FLOORS = {  # record: (sensitivity, positive predictivity)
    "105": (0.995, 0.990),
    "114": (0.998, 0.998),
    "200": (0.998, 0.998),
    "232": (0.998, 0.997),
}


def test_record_100_keeps_every_beat_and_no_false_one() -> None:
    comparison = scored("100").comparison

    assert (comparison.fn, comparison.fp) == (0, 0)


@pytest.mark.parametrize("name", DEV)
def test_each_dev_record_holds_its_floor(name: str) -> None:
    comparison = scored(name).comparison

    assert comparison.sensitivity >= FLOORS[name][0]
    assert comparison.positive_predictivity >= FLOORS[name][1]


def test_the_five_records_together_reach_99_7_percent_both_ways() -> None:
    found = [scored(name).comparison for name in PATHS]
    tp, fn, fp = (sum(getattr(c, field) for c in found) for field in ("tp", "fn", "fp"))

    assert tp / (tp + fn) >= 0.997
    assert tp / (tp + fp) >= 0.997


def test_record_100_gives_a_plausible_summary() -> None:
    findings = scored("100").findings

    # 2,273 beats in 30:06 of sinus rhythm with a few premature beats.
    assert findings.mean_hr is not None
    assert 74 < findings.mean_hr < 77
    assert findings.sdnn_ms is not None
    assert 20 < findings.sdnn_ms < 60
    assert findings.signal_quality > 0.95
    assert len(findings.heart_rate) == 1805
    assert np.all(findings.quality.usable)
