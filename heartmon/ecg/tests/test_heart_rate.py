"""The derived heart rate, as a bedside monitor computes it (IEC 60601-2-27)."""

import numpy as np
import pytest

from heartmon.ecg.findings import analyse
from heartmon.ecg.heart_rate import monitor_rate
from heartmon.ecg.tests.records import DEV, reference_rate, scored
from heartmon.ecg.tests.test_detector import (
    FS,
    regular_beats,
    synthetic_ecg,
    with_baseline_noise,
)

FS_BEATS = 360.0


def rate_of(intervals: list[float] | np.ndarray, *, seconds: int, first: float = 0.5):
    times = first + np.concatenate([[0], np.cumsum(intervals)])
    beats = np.round(times * FS_BEATS).astype(np.int64)
    return monitor_rate(beats, FS_BEATS, unusable_seconds=np.zeros(seconds, dtype=bool))


def test_each_second_shows_the_mean_of_the_last_twelve_intervals_less_the_extremes() -> None:
    intervals = [1.0] * 10 + [0.5] * 20  # the last beat at 20.5 s

    rates = rate_of(intervals, seconds=21)

    assert np.all(np.isnan(rates[:2]))  # no interval yet
    np.testing.assert_allclose(rates[2:11], 60, atol=0.5)
    # At 17 s, the last 12 intervals are 1 x 1.0 and 11 x 0.5: less the extremes, ten of 0.5.
    assert rates[17] == pytest.approx(120, abs=0.5)
    assert 60 < rates[12] < 120  # on the way


def test_one_early_beat_and_its_compensatory_pause_do_not_move_the_rate() -> None:
    intervals = np.full(40, 0.8)
    intervals[20:22] = [0.4, 1.2]  # beats at 16.5 (early), 16.9 and 18.1 s

    rates = rate_of(intervals, seconds=32)

    np.testing.assert_allclose(rates[12:17], 75, atol=0.5)
    # The trimmed mean drops both the short and the long interval once the pause has ended.
    np.testing.assert_allclose(rates[19:32], 75, atol=0.5)


def test_after_the_last_beat_the_rate_falls_with_the_time_since_it() -> None:
    rates = rate_of([0.5] * 20, seconds=16)  # the last beat at 10.5 s

    assert rates[11] == pytest.approx(120, abs=0.5)  # 0.5 s since it: not yet late
    assert rates[12] == pytest.approx(40, abs=0.5)  # 1.5 s
    assert rates[13] == pytest.approx(24, abs=0.5)  # 2.5 s
    assert rates[15] == 20  # the lowest rate a reading holds


def test_a_slow_rhythm_shows_the_mean_of_the_last_four_intervals() -> None:
    intervals = [0.6] * 12 + [1.5] * 4  # the last beat at 13.7 s

    rates = rate_of(intervals, seconds=15)

    # Three intervals over 1.2 s: the last four (all 1.5 s), not twelve less extremes (48 bpm).
    assert rates[14] == pytest.approx(40, abs=0.5)


def test_the_rate_is_unknown_in_an_unusable_second_and_until_a_beat_after_it() -> None:
    beats = np.round((0.5 + np.arange(40) * 0.5) * FS_BEATS).astype(np.int64)
    unusable = np.zeros(20, dtype=bool)
    unusable[8:10] = True

    rates = monitor_rate(beats, FS_BEATS, unusable_seconds=unusable)

    assert np.all(np.isfinite(rates[1:8]))
    assert np.all(np.isnan(rates[8:10]))
    assert np.all(np.isfinite(rates[11:]))


def test_a_pause_shows_a_falling_rate_not_a_gap() -> None:
    beats = np.concatenate([regular_beats(bpm=60, duration=20), 25.5 + np.arange(10)])

    findings = analyse(with_baseline_noise(synthetic_ecg(beats, duration=36)), FS)

    np.testing.assert_allclose(findings.heart_rate[2:20], 60, atol=0.5)  # the last at 18.5 s
    assert np.all(np.diff(findings.heart_rate[19:23]) < 0)  # falling
    assert np.all(np.isfinite(findings.heart_rate[2:]))
    assert findings.min_hr == 20


@pytest.mark.parametrize("name", DEV)
def test_on_each_dev_record_it_is_within_a_bpm_of_the_reference_beats_rate(name: str) -> None:
    ours, reference = scored(name).findings.heart_rate, reference_rate(name)
    both = np.isfinite(ours) & np.isfinite(reference)

    assert both.mean() > 0.95
    assert np.abs(ours[both] - reference[both]).mean() <= 0.8
