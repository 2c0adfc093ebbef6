"""Beat classes (N, V, unknown) and the ectopy the summary counts."""

import numpy as np
import pytest

from heartmon.ecg.classes import CODES, ectopy
from heartmon.ecg.findings import analyse
from heartmon.ecg.tests.records import ventricular_counts
from heartmon.ecg.tests.test_detector import FS, regular_beats, synthetic_ecg

# Measured (README): V sensitivity and positive predictivity per record; floors a little below.
FLOORS = {"105": (0.90, 0.92), "114": (0.97, 0.92), "200": (0.95, 0.99)}
V = CODES.index("V")


def with_pvcs(
    duration: float, every: int, *, on_time: int = 0
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """A 75 bpm lead where every `every`-th beat is early (but the last `on_time` of them),
    tall, wide and inverted, with a compensatory pause."""
    normal = regular_beats(bpm=75, duration=duration)
    times, ectopic = normal.copy(), list(range(every, len(normal) - 1, every))
    times[ectopic[: len(ectopic) - on_time]] -= 0.3
    lead = synthetic_ecg(times, duration=duration)
    offsets = np.arange(len(lead)) / FS
    for at in times[ectopic]:
        lead -= 2.0 * np.exp(-0.5 * ((offsets - at - 0.02) / 0.04) ** 2)
    return times, lead, ectopic


def test_wide_early_beats_with_a_compensatory_pause_are_ventricular() -> None:
    _, lead, ectopic = with_pvcs(120, every=10)

    findings = analyse(lead, FS)

    called = np.flatnonzero(findings.classes == CODES.index("V"))
    assert called.tolist() == ectopic
    assert findings.ectopy.pvc_count == len(ectopic)


def test_a_regular_rhythm_has_no_ventricular_beats() -> None:
    findings = analyse(synthetic_ecg(regular_beats(bpm=70, duration=60), duration=60), FS)

    assert set(findings.classes.tolist()) == {CODES.index("N")}


def test_in_ventricular_bigeminy_the_normal_beat_stays_the_template() -> None:
    _, lead, ectopic = with_pvcs(120, every=2)

    findings = analyse(lead, FS)

    assert np.flatnonzero(findings.classes == V).tolist() == ectopic
    assert findings.ectopy.bigeminy_episodes == 1


def test_beats_of_an_ectopic_kind_that_come_on_time_are_ventricular_too() -> None:
    _, lead, ectopic = with_pvcs(180, every=6, on_time=3)

    findings = analyse(lead, FS)

    assert np.flatnonzero(findings.classes == V).tolist() == ectopic


def test_early_beats_shaped_like_the_normal_one_without_a_pause_are_normal() -> None:
    intervals = np.full(150, 0.8)
    intervals[10::10] = 0.55  # atrial: early, and the rhythm goes on from there
    beats = 0.5 + np.concatenate([[0], np.cumsum(intervals)])
    findings = analyse(synthetic_ecg(beats, duration=beats[-1] + 1), FS)

    assert not (findings.classes == V).any()


def test_taller_beats_on_time_are_normal() -> None:
    beats = regular_beats(bpm=75, duration=120)
    lead = synthetic_ecg(beats, duration=120)
    for at in beats[5::7]:  # a 60 % taller R wave now and then, as breathing moves the heart
        lead[round(at * FS) - 5 : round(at * FS) + 6] *= 1.6

    assert not (analyse(lead, FS).classes == V).any()


def test_an_early_beat_cut_short_by_the_end_of_the_lead_is_not_ventricular() -> None:
    beats = regular_beats(bpm=75, duration=60)
    beats = np.append(beats[beats < 57.5], 57.9)  # early, and the lead ends 60 ms after it

    findings = analyse(synthetic_ecg(beats, duration=57.96), FS)

    assert len(findings.r_peaks) == len(beats)
    assert not (findings.classes == V).any()


def test_couplets_runs_and_bigeminy_are_counted() -> None:
    n, v = CODES.index("N"), CODES.index("V")
    codes = np.array([n, v, v, n, n, v, v, v, n, n, v, n, v, n, v, n, v, n, n])

    counted = ectopy(codes)

    assert (counted.pvc_count, counted.couplets, counted.runs) == (9, 1, 1)
    assert counted.bigeminy_episodes == 1
    assert counted.pvc_burden == pytest.approx(100 * 9 / 19, abs=0.01)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_ventricular_beats_of_the_dev_records_hold_their_floors(name: str) -> None:
    found, reference, called = ventricular_counts(name)

    assert found / reference >= FLOORS[name][0]
    assert found / called >= FLOORS[name][1]


def test_record_232_with_no_ventricular_beat_has_almost_none_called() -> None:
    assert ventricular_counts("232")[2] <= 1


def test_record_100_calls_its_one_ventricular_beat_and_no_other() -> None:
    assert ventricular_counts("100") == (1, 1, 1)
