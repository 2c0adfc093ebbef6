"""Beat detection and heart-rate summary of one ECG lead: plain numpy/scipy, no Django.

Detection is Pan and Tompkins (1985): band-pass 5-15 Hz, derivative, squaring, a 150 ms moving
window integration, then adaptive signal/noise thresholds over the integrated signal's peaks with
a 200 ms refractory period, T-wave discrimination within 360 ms and search-back with half the
threshold after 1.66 mean RR intervals without a beat. After 5 s without any beat the thresholds
learn again from the next 2 s, as at the start (a sudden drop in amplitude would otherwise silence
the detector for good). Each beat is placed on the largest absolute value of the band-passed
signal near its integrated peak. Band-passed peaks under 0.05 mV are never beats, so a flat or
unplugged lead has none.

The filters run in overlapping blocks, so memory stays bounded on 24-hour recordings; only the
candidate peaks of each block are kept for the (sequential) threshold pass.
"""

import bisect
import warnings
from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import ndimage, signal

BAND_HZ = (5.0, 15.0)
INTEGRATION_S = 0.150
REFRACTORY_S = 0.200
T_WAVE_S = 0.360
SEARCH_BACK_RR = 1.66
LEARNING_S = 2.0
RELEARN_S = 5.0  # no beat for this long: the thresholds learn again
REFINE_S = 0.100  # an R peak lies within this of its integrated peak
MIN_QRS_MV = 0.05  # band-passed amplitude below which nothing is a beat (flat or unplugged lead)
MIN_SIGNAL_S = 1.0  # shorter signals have no beats to find
BLOCK_S = 3600.0
MARGIN_S = 5.0  # filter settling at each block edge, discarded
PLAUSIBLE_RR_S = (0.2, 3.0)  # 20-300 bpm, the heart-rate bounds readings accept
NN_TOLERANCE = 0.2  # an interval further than this from its neighbours' median is not normal
NN_NEIGHBOURS = 11
RATE_INTERVALS = 5  # each second's heart rate is the median of this many recent intervals
TEMPLATE_SEGMENT_S = 300.0
TEMPLATE_HALF_WIDTH_S = 0.1


@dataclass(frozen=True)
class Analysis:
    """What one lead says about the heart.

    `heart_rate` has one value per whole second of the signal (see `heart_rate_series`), NaN
    where there is no recent plausible beat interval. Mean HR is beats over time across
    plausible intervals (20-300 bpm); min and max come from the per-second series. SDNN and
    RMSSD (ms) use normal intervals only: plausible and within 20 % of the median of their 11
    neighbours, so one ectopic beat does not dominate them; RMSSD takes successive differences
    of adjacent normal intervals. Statistics that need beats are None without them.

    `quality` (0-1) is coverage times morphology: the fraction of seconds with a heart rate, times
    the median correlation of each beat (±100 ms) with the median beat of its 5-minute segment.
    A flat line scores 0; noise scores low because its "beats" do not look alike.
    """

    fs: float
    r_peaks: np.ndarray
    heart_rate: np.ndarray
    mean_hr: float | None
    min_hr: float | None
    max_hr: float | None
    sdnn_ms: float | None
    rmssd_ms: float | None
    quality: float

    @property
    def beat_count(self) -> int:
        return len(self.r_peaks)


@dataclass(frozen=True)
class _Candidates:
    """Peaks of the integrated signal: where the beat would be, and what the thresholds see."""

    position: np.ndarray  # refined R position (sample)
    energy: np.ndarray  # integrated signal at the peak
    slope: np.ndarray  # largest absolute derivative near the peak, for T-wave discrimination


def analyse(signal_mv: np.ndarray, fs: float) -> Analysis:
    """Beats and heart-rate statistics of one lead in millivolts sampled at `fs` Hz (float32
    is enough and halves the memory of a long recording)."""
    values = np.asarray(signal_mv)
    if not np.issubdtype(values.dtype, np.floating):
        values = values.astype(np.float64)
    if values.ndim != 1:
        raise ValueError("analyse takes one lead (a 1-D array).")
    if fs <= 0:
        raise ValueError("The sampling frequency must be positive.")
    peaks = detect_beats(values, fs)
    heart_rate = heart_rate_series(peaks, fs, n_samples=len(values))
    return _summarise(values, fs, peaks, heart_rate)


def detect_beats(values: np.ndarray, fs: float) -> np.ndarray:
    """Sample indices of the R peaks, ascending."""
    if len(values) < MIN_SIGNAL_S * fs:
        return np.empty(0, dtype=np.int64)
    candidates = _find_candidates(values, fs)
    return _threshold(candidates, fs)


def _find_candidates(values: np.ndarray, fs: float) -> _Candidates:
    sos = signal.butter(2, BAND_HZ, btype="bandpass", fs=fs, output="sos")
    block, margin = int(BLOCK_S * fs), int(MARGIN_S * fs)
    parts = []
    for start in range(0, len(values), block):
        stop = min(start + block, len(values))
        lo, hi = max(0, start - margin), min(len(values), stop + margin)
        found = _block_candidates(values[lo:hi], fs, sos)
        keep = (found.position >= start - lo) & (found.position < stop - lo)
        parts.append((found.position[keep] + lo, found.energy[keep], found.slope[keep]))
    position, energy, slope = (np.concatenate(column) for column in zip(*parts, strict=True))
    order = np.argsort(position, kind="stable")  # refinement may swap two close neighbours
    return _Candidates(position[order], energy[order], slope[order])


def _block_candidates(values: np.ndarray, fs: float, sos: np.ndarray) -> _Candidates:
    empty = _Candidates(np.empty(0, np.int64), np.empty(0), np.empty(0))
    if len(values) <= 3 * (2 * len(sos) + 1):  # sosfiltfilt's minimum length
        return empty
    filtered = signal.sosfiltfilt(sos, values).astype(np.float32)
    derivative = np.gradient(filtered) * np.float32(fs)
    integrated = ndimage.uniform_filter1d(
        np.square(derivative), size=max(1, int(INTEGRATION_S * fs))
    )
    at, _ = signal.find_peaks(integrated, distance=max(1, int(REFRACTORY_S * fs)))
    if len(at) == 0:
        return empty
    width = min(2 * int(REFINE_S * fs) + 1, len(values))
    offsets = np.clip(at - width // 2, 0, len(values) - width)  # windows stay inside the block
    windows = sliding_window_view(np.abs(filtered), width)[offsets]
    position = offsets + windows.argmax(axis=1)
    amplitude = windows.max(axis=1)
    slopes = sliding_window_view(np.abs(derivative), width)[offsets]
    real = amplitude >= MIN_QRS_MV
    return _Candidates(
        position[real].astype(np.int64),
        integrated[at][real].astype(np.float64),
        slopes.max(axis=1)[real].astype(np.float64),
    )


def _threshold(candidates: _Candidates, fs: float) -> np.ndarray:
    """Pan-Tompkins' adaptive thresholds over the candidates, in time order."""
    position = candidates.position.tolist()
    energy = candidates.energy.tolist()
    slope = candidates.slope.tolist()
    if not position:
        return np.empty(0, dtype=np.int64)
    signal_level, noise_level = _learn(
        energy[: bisect.bisect_left(position, position[0] + LEARNING_S * fs)]
    )
    refractory, t_wave, relearn = REFRACTORY_S * fs, T_WAVE_S * fs, RELEARN_S * fs
    beats: list[int] = []
    beat_slopes: list[float] = []
    rr: list[float] = []
    missed: int | None = None  # the strongest candidate rejected since the last beat
    learned_at = position[0]

    def accept(index: int) -> None:
        nonlocal missed
        if beats:
            rr.append(position[index] - beats[-1])
        beats.append(position[index])
        beat_slopes.append(slope[index])
        missed = None

    for i, (p, e) in enumerate(zip(position, energy, strict=True)):
        if p - max(beats[-1] if beats else 0, learned_at) > relearn:
            # Lost the rhythm (a sudden drop in amplitude, or a long pause): learn afresh from
            # the next seconds, as at the start.
            signal_level, noise_level = _learn(
                energy[i : bisect.bisect_left(position, p + LEARNING_S * fs)]
            )
            learned_at = p
        threshold = noise_level + 0.25 * (signal_level - noise_level)
        if missed is not None and rr and p - beats[-1] > SEARCH_BACK_RR * _mean(rr[-8:]):
            found = missed
            if energy[found] > threshold / 2:
                accept(found)
                signal_level = 0.25 * energy[found] + 0.75 * signal_level
                threshold = noise_level + 0.25 * (signal_level - noise_level)
                missed = _strongest(position, energy, found + 1, i, beats[-1] + refractory)
        is_beat = e > threshold and (not beats or p - beats[-1] > refractory)
        if is_beat and beats and p - beats[-1] < t_wave and slope[i] < beat_slopes[-1] / 2:
            is_beat = False  # a T wave: shallow and close behind the last beat
        if is_beat:
            accept(i)
            signal_level = 0.125 * e + 0.875 * signal_level
        else:
            noise_level = 0.125 * e + 0.875 * noise_level
            if beats and p > beats[-1] + refractory and (missed is None or e > energy[missed]):
                missed = i
    return np.asarray(beats, dtype=np.int64)


def _learn(seen: list[float]) -> tuple[float, float]:
    """Signal and noise levels from the candidates of a learning period."""
    return max(seen) / 2, _mean(seen) / 4


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)  # numpy's mean costs more than the loop it sits in


def _strongest(
    position: list[int], energy: list[float], first: int, stop: int, earliest: float
) -> int | None:
    """The strongest candidate in [first, stop) after `earliest`."""
    best = None
    for j in range(first, stop):
        if position[j] > earliest and (best is None or energy[j] > energy[best]):
            best = j
    return best


def heart_rate_series(peaks: np.ndarray, fs: float, *, n_samples: int) -> np.ndarray:
    """One heart rate (bpm) per whole second, as a monitor shows it: 60 over the median of the
    last five plausible beat intervals completed by that instant, so one early, missed or false
    beat does not move it. NaN before the second beat and once the last beat is over 3 s old."""
    seconds = np.arange(int(n_samples // fs), dtype=np.float64)
    rates = np.full(len(seconds), np.nan)
    if len(peaks) < 2:
        return rates
    beat_times = peaks / fs
    rr = np.diff(beat_times)
    rr[(rr < PLAUSIBLE_RR_S[0]) | (rr > PLAUSIBLE_RR_S[1])] = np.nan
    padded = np.concatenate([np.full(RATE_INTERVALS - 1, np.nan), rr])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all five implausible: NaN is right
        typical = np.nanmedian(sliding_window_view(padded, RATE_INTERVALS), axis=1)
    last = np.searchsorted(beat_times, seconds, side="right") - 1  # the last beat by then
    recent = (last >= 1) & (seconds - beat_times[np.maximum(last, 0)] <= PLAUSIBLE_RR_S[1])
    rates[recent] = 60.0 / typical[last[recent] - 1]
    return rates


def _summarise(
    values: np.ndarray, fs: float, peaks: np.ndarray, heart_rate: np.ndarray
) -> Analysis:
    rr = np.diff(peaks) / fs
    plausible = rr[(rr >= PLAUSIBLE_RR_S[0]) & (rr <= PLAUSIBLE_RR_S[1])]
    known = heart_rate[np.isfinite(heart_rate)]
    normal = _normal_intervals(rr)
    nn = rr[normal] * 1000
    successive = np.diff(rr * 1000)[normal[:-1] & normal[1:]] if len(rr) > 1 else np.empty(0)
    coverage = len(known) / len(heart_rate) if len(heart_rate) else 0.0
    return Analysis(
        fs=fs,
        r_peaks=peaks,
        heart_rate=heart_rate,
        mean_hr=60 * len(plausible) / float(plausible.sum()) if len(plausible) else None,
        min_hr=float(known.min()) if len(known) else None,
        max_hr=float(known.max()) if len(known) else None,
        sdnn_ms=float(np.std(nn, ddof=1)) if len(nn) > 1 else None,
        rmssd_ms=float(np.sqrt(np.mean(np.square(successive)))) if len(successive) else None,
        quality=round(coverage * _morphology(values, fs, peaks), 3),
    )


def _normal_intervals(rr: np.ndarray) -> np.ndarray:
    """Which intervals are normal-to-normal: plausible and close to their neighbours' median."""
    if len(rr) == 0:
        return np.zeros(0, dtype=bool)
    local = ndimage.median_filter(rr, size=NN_NEIGHBOURS, mode="nearest")
    plausible = (rr >= PLAUSIBLE_RR_S[0]) & (rr <= PLAUSIBLE_RR_S[1])
    return plausible & (np.abs(rr - local) <= NN_TOLERANCE * local)


def _morphology(values: np.ndarray, fs: float, peaks: np.ndarray) -> float:
    """Median correlation of each beat with the median beat of its segment (0 when none)."""
    half = int(TEMPLATE_HALF_WIDTH_S * fs)
    peaks = peaks[(peaks >= half) & (peaks < len(values) - half)]
    if len(peaks) < 2 or half < 1:
        return 0.0
    beats = sliding_window_view(values, 2 * half + 1)[peaks - half]
    beats = beats - beats.mean(axis=1, keepdims=True)
    segment = (peaks // int(TEMPLATE_SEGMENT_S * fs)).astype(np.int64)
    correlations = np.empty(len(peaks))
    for number in np.unique(segment):
        members = segment == number
        template = np.median(beats[members], axis=0)
        norms = np.linalg.norm(beats[members], axis=1) * np.linalg.norm(template)
        with np.errstate(invalid="ignore", divide="ignore"):
            correlations[members] = np.where(norms > 0, beats[members] @ template / norms, 0.0)
    return float(np.clip(np.median(correlations), 0.0, 1.0))
