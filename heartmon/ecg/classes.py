"""Beat classes from shape and timing: normal (N), ventricular ectopic (V) or unknown (Q), and the
ectopy the summary counts.

No trained model: each beat is compared with the dominant beat around it, the median of the
beats of its group of 64 that do not come early (in bigeminy every other beat is early, so the
template stays the normal beat). A beat is V when
- its shape is plainly different (correlation under 0.7) and it is wider or taller than the
  template, or early; or
- it comes early (under 85 % of the local median interval) with a compensatory pause (the
  intervals around it add up to at least 1.8 median intervals: the sinus node was not reset,
  as an atrial beat would reset it) and its shape departs from the template (correlation under
  0.95, or 25 % wider or 30 % taller).
A beat in a segment of poor quality (under 0.5) is unknown: noise changes shapes.

Runs are counted over consecutive V beats: a couplet is two, a run three or more; a bigeminy
episode is at least 3 cycles of a V beat alternating with a normal one.
"""

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from heartmon.ecg import detector, morphology

NORMAL, VENTRICULAR, UNKNOWN = "N", "V", "Q"
CODES = (NORMAL, VENTRICULAR, UNKNOWN)  # stored as their index
LOCAL_INTERVALS = 9
EARLY = 0.85
COMPENSATED = 1.8
DIFFERENT = 0.5
DEPARTS = 0.95
WIDER = 1.25
TALLER = 1.3
SMALLER = 0.5
MORPHOLOGY_BAND_HZ = (1.0, 15.0)
SHIFT_S = 0.02  # how far a complex may sit off its R peak
BIGEMINY_CYCLES = 3


@dataclass(frozen=True)
class Ectopy:
    pvc_count: int
    pvc_burden: float  # % of beats
    couplets: int
    runs: int
    bigeminy_episodes: int


def classify(values: np.ndarray, fs: float, beats: np.ndarray, poor: np.ndarray) -> np.ndarray:
    """One code index (into CODES) per beat of a lead in mV; `poor` says which beats lie in
    poor segments."""
    codes = np.zeros(len(beats), dtype=np.uint8)
    if len(beats) < 3:
        codes[poor] = CODES.index(UNKNOWN)
        return codes
    margin = int(SHIFT_S * fs)
    filtered = detector.band_pass(values, fs, MORPHOLOGY_BAND_HZ)
    wide = morphology.beat_windows(filtered, fs, beats, extra_s=SHIFT_S)
    windows = wide[:, margin : wide.shape[1] - margin]
    before, after, typical = _timing(beats)
    early = before < EARLY * typical
    template = morphology.templates(windows, among=~early)
    correlation = morphology.best_correlation(wide, template)
    wider = _width(windows) > WIDER * _width(template)
    height = np.ptp(windows, axis=1) / np.maximum(np.ptp(template, axis=1), 1e-6)
    taller = height > TALLER
    compensated = before + after >= COMPENSATED * typical
    different = (correlation < DIFFERENT) & (taller | early)
    departs = early & compensated & ((correlation < DEPARTS) | wider | taller)
    codes[different | departs] = CODES.index(VENTRICULAR)
    codes[poor | ((correlation < DIFFERENT) & (height < SMALLER))] = CODES.index(UNKNOWN)
    return codes


def _timing(beats: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The interval before and after each beat and the local median interval (samples)."""
    intervals = np.diff(beats).astype(np.float64)
    local = ndimage.median_filter(intervals, size=LOCAL_INTERVALS, mode="nearest")
    before = np.concatenate([[np.inf], intervals])
    after = np.concatenate([intervals, [np.inf]])
    return before, after, np.concatenate([local[:1], local])


def _width(windows: np.ndarray) -> np.ndarray:
    """Samples where the complex stands above a third of its peak: its width, roughly."""
    size = np.abs(windows)
    return (size > size.max(axis=1, keepdims=True) / 3).sum(axis=1)


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
