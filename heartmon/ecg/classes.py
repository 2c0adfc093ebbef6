"""Beat classes from shape and timing: normal (N), ventricular ectopic (V) or unknown (Q), and the
ectopy the summary counts.

No trained model. Each beat is set against the dominant normal beat around it (`departures`:
how far its QRS and ST depart from it, how wide its main deflection is) and against the normal
interval (the median of 9 nearby intervals that end in a beat of the dominant shape, so
bigeminy does not shorten it). A ventricular beat departs from the normal beat and
- comes early (under 85 % of the normal interval) with a compensatory pause (the intervals
  around it add up to 1.75 normal intervals or more: the sinus node was not reset, as an atrial
  beat resets it); or
- comes early and departs strongly (a departure of 2, or one of 0.2 with a main deflection 40 %
  wider: a wide complex), a pause or not (a couplet, an interpolated beat); or
- departs strongly on time, and most of its kind (the departing beats within 33 % of its
  amplitude whose QRS and T correlate 0.93 with it; at least 3) are ventricular by the rules
  above: a focus that also fires on time, as in bigeminy and runs. Fusion beats, half
  normal, have the T wave of the normal beat and so are not of the kind.
Departures are measured against the neighbourhood too: where even the normal beats depart
(noise, a shape that changes), a beat must depart 4 times (strongly: 8 times) the lower
quartile of its 9 neighbours' departures. A beat in a segment of poor quality (under 0.5) is
unknown: noise changes shapes.

Runs are counted over consecutive V beats: a couplet is two, a run three or more; a bigeminy
episode is at least 3 cycles of a V beat alternating with a normal one.
"""

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from heartmon.ecg import departures, detector, morphology

NORMAL, VENTRICULAR, UNKNOWN = "N", "V", "Q"
CODES = (NORMAL, VENTRICULAR, UNKNOWN)  # stored as their index
LOCAL_INTERVALS = 9  # intervals in the local and the normal interval's medians
ON_TIME = 0.9  # see _on_time: a beat on time may be a dominant beat
EARLY = 0.85  # of the normal interval
COMPENSATED = 1.75  # normal intervals around the beat
DEPARTS, DEPARTS_STRONGLY = 0.2, 2.0
WIDE = 1.4
NEIGHBOURS = 9
NEIGHBOUR_QUANTILE = 25
OVER_NEIGHBOURS, STRONGLY_OVER_NEIGHBOURS = 4.0, 8.0
KIN_CORRELATION = 0.93
KIN_AMPLITUDE = 1.33
KIN_S = (-0.10, 0.35)  # QRS and T
KIN_LEAST = 3
KIN_SHARE = 0.5
KIN_CHUNK = 512  # departing beats compared with each other at a time
KIN_BAND_HZ = (1.0, 15.0)
BIGEMINY_CYCLES = 3


@dataclass(frozen=True)
class Ectopy:
    pvc_count: int
    pvc_burden: float  # % of beats
    couplets: int
    runs: int
    bigeminy_episodes: int


def classify(
    values: np.ndarray,
    fs: float,
    beats: np.ndarray,
    poor: np.ndarray,
    filtered: np.ndarray | None = None,
) -> np.ndarray:
    """One code index (into CODES) per beat of a lead in mV; `poor` says which beats lie in
    poor segments; `filtered` is the lead's `detector.band_pass`, when the caller has it."""
    codes = np.zeros(len(beats), dtype=np.uint8)
    if len(beats) >= 3:
        filtered = detector.band_pass(values, fs) if filtered is None else filtered
        before, after, local = _intervals(beats)
        on_time = _on_time(before, after, local)
        measured = departures.measure(values, filtered, fs, beats, on_time)
        normal = _normal_interval(before, measured.normal & on_time)
        early = before < EARLY * normal
        compensated = before + after >= COMPENSATED * normal
        departs, strongly = _departing(measured)
        own = early & ((departs & compensated) | strongly)
        kin = _kin(values, fs, beats, departs, own)
        codes[own | (strongly & kin)] = CODES.index(VENTRICULAR)
    codes[poor] = CODES.index(UNKNOWN)
    return codes


def _intervals(beats: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The interval before and after each beat and the local median interval (samples)."""
    intervals = np.diff(beats).astype(np.float64)
    local = ndimage.median_filter(intervals, size=LOCAL_INTERVALS, mode="nearest")
    before = np.concatenate([[np.inf], intervals])
    after = np.concatenate([intervals, [np.inf]])
    return before, after, np.concatenate([local[:1], local])


def _on_time(before: np.ndarray, after: np.ndarray, local: np.ndarray) -> np.ndarray:
    """Beats not early: their interval is at least 90 % of the local median interval and of the
    next interval (in bigeminy the local median may be the short interval, and the next one is
    then the long)."""
    return before >= ON_TIME * np.maximum(local, np.where(np.isfinite(after), after, 0))


def _normal_interval(before: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """For each beat, the median of the 9 intervals ending in a `normal` beat nearest the last
    such beat before it (the first one's for the beats before it; with no normal beat at all,
    the median interval)."""
    ending = np.flatnonzero(normal & np.isfinite(before))
    if len(ending) == 0:
        return np.full(len(before), np.median(before[np.isfinite(before)]))
    medians = ndimage.median_filter(before[ending], size=LOCAL_INTERVALS, mode="nearest")
    latest = np.searchsorted(ending, np.arange(len(before))) - 1
    return medians[np.maximum(latest, 0)]


def _departing(measured: departures.Departures) -> tuple[np.ndarray, np.ndarray]:
    """Which beats depart from the normal beat, and which strongly."""
    departure = measured.departure
    around = ndimage.percentile_filter(departure, NEIGHBOUR_QUANTILE, NEIGHBOURS, mode="nearest")
    departs = departure >= np.maximum(DEPARTS, OVER_NEIGHBOURS * around)
    strongly = departure >= np.maximum(DEPARTS_STRONGLY, STRONGLY_OVER_NEIGHBOURS * around)
    return departs, strongly | (departs & (measured.width >= WIDE))


def _kin(
    values: np.ndarray, fs: float, beats: np.ndarray, departs: np.ndarray, own: np.ndarray
) -> np.ndarray:
    """Departing beats most of whose kind (at least 3) are ventricular by their own timing.
    Their shapes (QRS and T, in the 1-15 Hz band) are filtered window by window: they are few,
    and the whole lead need not be filtered once more."""
    at = np.flatnonzero(departs)
    kin = np.zeros(len(beats), dtype=bool)
    start, stop = round(KIN_S[0] * fs), round(KIN_S[1] * fs) + 1
    half = int(morphology.HALF_WIDTH_S * fs)  # the QRS complex, either side of the R peak
    for lo in range(0, len(at), KIN_CHUNK):
        chosen = at[lo : lo + KIN_CHUNK]
        shapes = morphology.band_windows(values, fs, beats[chosen], (start, stop), KIN_BAND_HZ)
        unit = morphology.normalised(shapes)
        amplitude = np.ptp(shapes[:, -start - half : -start + half + 1], axis=1)
        ratio = amplitude[:, None] / np.maximum(amplitude[None, :], 1e-9)
        alike = (unit @ unit.T >= KIN_CORRELATION) & (ratio <= KIN_AMPLITUDE)
        alike &= ratio >= 1 / KIN_AMPLITUDE
        np.fill_diagonal(alike, False)
        count = alike.sum(axis=1)
        share = alike @ own[chosen].astype(np.float64) / np.maximum(count, 1)
        kin[chosen] = (count >= KIN_LEAST) & (share >= KIN_SHARE)
    return kin


def ectopy(codes: np.ndarray) -> Ectopy:
    ventricular = codes == CODES.index(VENTRICULAR)
    runs = _run_lengths(ventricular)
    pattern = _bigeminy(codes)
    return Ectopy(
        pvc_count=int(ventricular.sum()),
        pvc_burden=round(100 * float(ventricular.mean()), 2) if len(codes) else 0.0,
        couplets=int((runs == 2).sum()),
        runs=int((runs >= 3).sum()),
        bigeminy_episodes=pattern,
    )


def _run_lengths(flags: np.ndarray) -> np.ndarray:
    """Lengths of the runs of True."""
    edges = np.diff(np.concatenate([[0], flags.astype(np.int8), [0]]))
    return np.flatnonzero(edges == -1) - np.flatnonzero(edges == 1)


def _bigeminy(codes: np.ndarray) -> int:
    """Episodes of at least 3 normal-then-V pairs in a row."""
    normal, ventricular = CODES.index(NORMAL), CODES.index(VENTRICULAR)
    pair = (codes[:-1] == normal) & (codes[1:] == ventricular)  # a pair starting at each beat
    if len(pair) < 2:
        return 0
    # Pairs follow each other two beats apart: look at even and odd starts separately.
    episodes = 0
    for phase in (0, 1):
        lengths = _run_lengths(pair[phase::2])
        episodes += int((lengths >= BIGEMINY_CYCLES).sum())
    return episodes
