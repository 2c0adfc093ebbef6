"""Beat detection on one lead: plain numpy/scipy, no Django.

Candidates come from Pan and Tompkins (1985): band-pass 5-25 Hz (`band_pass`), derivative,
squaring, a 150 ms moving window integration, and the integrated signal's peaks at least 200 ms
apart, each placed on the largest absolute value of the band-passed signal near it. Band-passed
peaks under 0.05 mV are never beats, so a flat or unplugged lead has none.

The thresholds differ from the original where it failed on hard records:
- The signal and noise levels are medians of the last 8 beat and non-beat peaks rather than
  running averages, so an ectopic beat with 25-50 times the energy of the normal ones cannot
  raise the threshold above them (one outlier moves a median by one place, not by its size).
- Search-back repeats while the gap stays longer than 1.66 median intervals, so a run of missed
  beats is recovered, not only one beat per gap.
- T-wave discrimination (within 360 ms, less than half the slope) compares with the smaller of
  the last beat's slope and the median beat slope.
- A detection that splits one ordinary interval into two short ones and does not look like its
  neighbours is noise, not a beat (`_drop_noise`): ectopic beats come early but are followed by a
  long interval, or look like themselves, while noise spikes do neither.

The filters run in overlapping blocks so memory stays bounded on 24-hour recordings; only the
candidate peaks are kept for the sequential threshold pass, which runs in plain Python over
lists (numpy's per-call cost exceeds the work of one step).
"""

import bisect
import math
from collections import deque
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import ndimage, signal

from heartmon.ecg import morphology

BAND_HZ = (5.0, 25.0)
INTEGRATION_S = 0.150
REFRACTORY_S = 0.200
T_WAVE_S = 0.360
SEARCH_BACK_RR = 1.66
LEARNING_S = 4.0
RELEARN_S = 5.0  # no beat for this long: the levels learn again
LEVEL_MEMORY = 8  # beats and noise peaks the medians look back over
THRESHOLD_SHARE = 0.25  # the threshold sits this far from the noise level to the signal level
REFINE_S = 0.100  # an R peak lies within this of its integrated peak
MIN_QRS_MV = 0.05  # band-passed amplitude below which nothing is a beat (flat or unplugged lead)
MIN_SIGNAL_S = 1.0  # shorter signals have no beats to find
BLOCK_S = 3600.0
MARGIN_S = 5.0  # filter settling at each block edge, discarded
# Noise: an interval shorter than EARLY of the local median, whose removal leaves one interval
# within MERGED of it, around a beat correlating under NOISE_CORRELATION with its neighbours.
EARLY = 0.7
MERGED = (0.7, 1.3)
NOISE_CORRELATION = 0.9
LOCAL_INTERVALS = 9


@dataclass(frozen=True)
class _Candidates:
    """Peaks of the integrated signal: where the beat would be, and what the thresholds see."""

    position: np.ndarray  # refined R position (sample)
    energy: np.ndarray  # integrated signal at the peak
    slope: np.ndarray  # largest absolute derivative near the peak, for T-wave discrimination


def band_pass(values: np.ndarray, fs: float, band: tuple[float, float] = BAND_HZ) -> np.ndarray:
    """The lead filtered to a band (by default the QRS band; zero phase), float32, in blocks."""
    sos = signal.butter(2, band, btype="bandpass", fs=fs, output="sos")
    out = np.zeros(len(values), dtype=np.float32)
    if len(values) <= 3 * (2 * len(sos) + 1):  # sosfiltfilt's minimum length
        return out
    block, margin = int(BLOCK_S * fs), int(MARGIN_S * fs)
    for start in range(0, len(values), block):
        stop = min(start + block, len(values))
        lo, hi = max(0, start - margin), min(len(values), stop + margin)
        filtered = signal.sosfiltfilt(sos, values[lo:hi])
        out[start:stop] = filtered[start - lo : stop - lo]
    return out


def detect_beats(values: np.ndarray, fs: float, filtered: np.ndarray | None = None) -> np.ndarray:
    """Sample indices of the R peaks of one lead in mV, ascending. `filtered` is the lead's
    `band_pass`, when the caller has it already."""
    if len(values) < MIN_SIGNAL_S * fs:
        return np.empty(0, dtype=np.int64)
    filtered = band_pass(values, fs) if filtered is None else filtered
    beats = _threshold(_find_candidates(filtered, fs), fs)
    return _drop_noise(filtered, fs, beats)


def _find_candidates(filtered: np.ndarray, fs: float) -> _Candidates:
    block, margin = int(BLOCK_S * fs), int(MARGIN_S * fs)
    parts = []
    for start in range(0, len(filtered), block):
        stop = min(start + block, len(filtered))
        lo, hi = max(0, start - margin), min(len(filtered), stop + margin)
        found = _block_candidates(filtered[lo:hi], fs)
        keep = (found.position >= start - lo) & (found.position < stop - lo)
        parts.append((found.position[keep] + lo, found.energy[keep], found.slope[keep]))
    position, energy, slope = (np.concatenate(column) for column in zip(*parts, strict=True))
    order = np.argsort(position, kind="stable")  # refinement may swap two close neighbours
    return _Candidates(position[order], energy[order], slope[order])


def _block_candidates(filtered: np.ndarray, fs: float) -> _Candidates:
    empty = _Candidates(np.empty(0, np.int64), np.empty(0), np.empty(0))
    derivative = np.zeros_like(filtered)
    np.subtract(filtered[2:], filtered[:-2], out=derivative[1:-1])
    derivative *= np.float32(fs / 2)
    integrated = _moving_mean(np.square(derivative), max(1, int(INTEGRATION_S * fs)))
    at, _ = signal.find_peaks(integrated, distance=max(1, int(REFRACTORY_S * fs)))
    if len(at) == 0:
        return empty
    width = min(2 * int(REFINE_S * fs) + 1, len(filtered))
    offsets = np.clip(at - width // 2, 0, len(filtered) - width)  # windows stay in the block
    windows = np.abs(sliding_window_view(filtered, width)[offsets])  # the peaks' windows only
    position = offsets + windows.argmax(axis=1)
    amplitude = windows.max(axis=1)
    slopes = np.abs(sliding_window_view(derivative, width)[offsets])
    real = amplitude >= MIN_QRS_MV
    return _Candidates(
        position[real].astype(np.int64),
        integrated[at][real].astype(np.float64),
        slopes.max(axis=1)[real].astype(np.float64),
    )


def _moving_mean(values: np.ndarray, size: int) -> np.ndarray:
    """Centred moving mean (zeros beyond the ends), as differences of cumulative sums padded to
    both ends: several times faster than a filter, and no index arrays."""
    count, half = len(values), size // 2
    sums = np.zeros(count + size, dtype=np.float64)  # sums[j]: the values before j - half
    np.cumsum(values, dtype=np.float64, out=sums[half + 1 : half + 1 + count])
    sums[half + 1 + count :] = sums[half + count]
    differences = np.subtract(sums[size : size + count], sums[:count])
    return np.divide(differences, size, out=np.empty(count, dtype=np.float32), casting="unsafe")


class _Running:
    """The last few values and their median, kept sorted as each comes: the threshold pass asks
    for medians after every candidate, and sorting them afresh each time cost more than all the
    rest of its step."""

    __slots__ = ("_recent", "_sorted", "median")

    def __init__(self, values: list[float]) -> None:
        self._recent: deque[float] = deque(values, maxlen=LEVEL_MEMORY)
        self._sorted = sorted(self._recent)
        self.median = _median(self._sorted) if values else math.nan

    @property
    def last(self) -> float:
        return self._recent[-1]

    def add(self, value: float) -> None:
        if len(self._recent) == LEVEL_MEMORY:
            del self._sorted[bisect.bisect_left(self._sorted, self._recent[0])]
        self._recent.append(value)
        bisect.insort(self._sorted, value)
        self.median = _median(self._sorted)


def _median(ordered: list[float]) -> float:
    """The median of values in ascending order."""
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


class _Levels:
    """Signal and noise levels as medians of the last few beat and noise peaks, and the
    threshold between them."""

    __slots__ = ("beats", "noise", "threshold")

    def __init__(self, seen: list[float]) -> None:
        ordered = sorted(seen)
        half = max(1, len(ordered) // 2)
        # The upper half of a learning period's peaks are mostly beats, the lower half T waves
        # and noise; their medians ignore an ectopic giant among them.
        self.beats = _Running([_median(ordered[half - 1 :])])
        self.noise = _Running([_median(ordered[:half])])
        self._update()

    def add_beat(self, energy: float) -> None:
        self.beats.add(energy)
        self._update()

    def add_noise(self, energy: float) -> None:
        self.noise.add(energy)
        self._update()

    def _update(self) -> None:
        noise = self.noise.median
        self.threshold = noise + THRESHOLD_SHARE * (self.beats.median - noise)


class _Pass:
    """The sequential threshold pass over the candidates, in time order. What each step
    compares with (the last beat, the threshold, the search-back gap, the T-wave slope) is kept
    up to date as beats and noise peaks come, not recomputed at every candidate."""

    def __init__(self, candidates: _Candidates, fs: float) -> None:
        self.position: list[int] = candidates.position.tolist()
        self.energy: list[float] = candidates.energy.tolist()
        self.slope: list[float] = candidates.slope.tolist()
        self.fs = fs
        self.beats: list[int] = []  # candidate indices
        self.last = -math.inf  # the last beat's position
        self.slopes = _Running([])
        self.t_slope = 0.0  # a T wave's slope is under this
        self.intervals = _Running([])
        self.gap = math.inf  # a gap longer than this is searched back
        self.levels = self._learn(0)
        self.learned_at = self.position[0]

    def _learn(self, first: int) -> _Levels:
        end = self.position[first] + LEARNING_S * self.fs
        last = bisect.bisect_left(self.position, end, lo=first)
        return _Levels(self.energy[first:last])

    def is_t_wave(self, index: int) -> bool:
        """Shallow and close behind the last beat."""
        close = self.position[index] - self.last < T_WAVE_S * self.fs
        return close and self.slope[index] < self.t_slope

    def accept(self, index: int) -> None:
        position = self.position[index]
        if self.beats:
            self.intervals.add(position - self.last)
            self.gap = SEARCH_BACK_RR * self.intervals.median
        self.beats.append(index)
        self.last = position
        self.slopes.add(self.slope[index])
        self.t_slope = min(self.slopes.last, self.slopes.median) / 2
        self.levels.add_beat(self.energy[index])

    def run(self) -> np.ndarray:
        refractory, relearn = REFRACTORY_S * self.fs, RELEARN_S * self.fs
        for index, (position, energy) in enumerate(zip(self.position, self.energy, strict=True)):
            if position - max(self.last, self.learned_at) > relearn:
                # Lost the rhythm: learn afresh, as at the start.
                self.levels, self.learned_at = self._learn(index), position
            if position - self.last > self.gap:
                self.search_back(index)
            clear = position - self.last > refractory
            if clear and energy > self.levels.threshold and not self.is_t_wave(index):
                self.accept(index)
            else:
                self.levels.add_noise(energy)
        return np.asarray([self.position[index] for index in self.beats], dtype=np.int64)

    def search_back(self, index: int) -> None:
        """Recover missed beats, the strongest first, while the gap before candidate `index`
        is longer than 1.66 median intervals."""
        refractory = REFRACTORY_S * self.fs
        position = self.position[index]
        while position - self.last > self.gap:
            half = self.levels.threshold / 2
            best = None
            for j in range(self.beats[-1] + 1, index):
                fits = self.position[j] - self.last > refractory
                fits = fits and position - self.position[j] > refractory
                if fits and self.energy[j] > half and not self.is_t_wave(j):
                    best = j if best is None or self.energy[j] > self.energy[best] else best
            if best is None:
                return
            self.accept(best)


def _threshold(candidates: _Candidates, fs: float) -> np.ndarray:
    if len(candidates.position) == 0:
        return np.empty(0, dtype=np.int64)
    return _Pass(candidates, fs).run()


def _drop_noise(filtered: np.ndarray, fs: float, beats: np.ndarray) -> np.ndarray:
    """Remove detections that split an ordinary interval and do not look like their
    neighbours; twice, since a removal changes its neighbours' intervals. Only the beats that
    split an interval have their shape compared."""
    for _ in range(2):
        if len(beats) < 3:
            return beats
        suspect = np.flatnonzero(_splits_an_interval(beats))
        alike = morphology.group_correlation(filtered, fs, beats, suspect) >= NOISE_CORRELATION
        if alike.all():
            return beats
        beats = np.delete(beats, suspect[~alike])
    return beats


def _splits_an_interval(beats: np.ndarray) -> np.ndarray:
    """Beats with an interval either side under 70 % of the local median, whose removal would
    leave one within 70-130 % of it."""
    intervals = np.diff(beats).astype(np.float64)
    local = ndimage.median_filter(intervals, size=LOCAL_INTERVALS, mode="nearest")
    typical = np.concatenate([local[:1], local])  # each beat's: the interval before it
    before = np.concatenate([[np.inf], intervals])
    after = np.concatenate([intervals, [np.inf]])
    merged = before + after
    return (
        (np.minimum(before, after) < EARLY * typical)
        & (merged > MERGED[0] * typical)
        & (merged < MERGED[1] * typical)
    )
