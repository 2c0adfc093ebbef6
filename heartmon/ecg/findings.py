"""What an ECG says about the heart: beats, their classes, the monitor's heart rate, pauses,
ectopy and signal quality, from one or more leads. Plain numpy/scipy, no Django.

The first lead given is the preferred one (lead II where there is one). Beats come from it
wherever its quality is good. The other leads are read and analysed only around its poor
segments (each run of them with a segment of context either side, for the detector to learn
its levels), and each poor segment then takes its beats from the lead that scores best there (a
beat within 200 ms of one already taken across a segment edge is the same beat). Leads are read
by slices, so a stored recording's other leads are never read where the preferred one is good.
Beats are classified on the preferred lead; a beat taken from another lead is of unknown class.
Nothing is reported inside a segment that is unusable on every lead.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from scipy import ndimage

from heartmon.ecg import classes, detector, heart_rate, quality
from heartmon.ecg.classes import Ectopy
from heartmon.ecg.heart_rate import Pause
from heartmon.ecg.quality import SegmentQuality

NN_TOLERANCE = 0.2  # an interval further than this from its neighbours' median is not normal
NN_NEIGHBOURS = 11
NN_RANGE_S = (0.2, 3.0)  # what heart-rate variability counts as a normal-to-normal interval
CONTEXT_SEGMENTS = 1  # read around a poor stretch of the preferred lead, either side


class LeadSignal(Protocol):
    """A lead in mV that the analysis reads by slices: an array, or a stored recording's lead
    read from storage when sliced."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: slice, /) -> np.ndarray: ...


@dataclass(frozen=True)
class Lead:
    """One lead's beats and segment quality."""

    beats: np.ndarray
    quality: SegmentQuality


@dataclass(frozen=True)
class Findings:
    """`heart_rate` has one value per whole second (NaN where unknown); `segment_leads` names
    the lead (index into the leads given) each quality segment took its beats from;
    `signal_quality` is the mean segment score. Mean HR is beats over time across known
    intervals; min and max come from the per-second series. SDNN and RMSSD (ms) use
    normal-to-normal intervals: between two N beats, 0.2-3 s, and within 20 % of the median of
    their 11 neighbours. Statistics that need beats are None without them."""

    fs: float
    r_peaks: np.ndarray
    classes: np.ndarray
    heart_rate: np.ndarray
    quality: SegmentQuality
    segment_leads: np.ndarray
    pauses: list[Pause]
    ectopy: Ectopy
    mean_hr: float | None
    min_hr: float | None
    max_hr: float | None
    sdnn_ms: float | None
    rmssd_ms: float | None
    signal_quality: float

    @property
    def beat_count(self) -> int:
        return len(self.r_peaks)


def analyse(leads: Sequence[LeadSignal] | np.ndarray, fs: float) -> Findings:
    """Analyse leads in mV sampled at `fs` Hz: a 1-D array is one lead, a sequence (or a 2-D
    array, one lead per column) several, the preferred first. float32 is enough."""
    signals = _leads(leads)
    if fs <= 0:
        raise ValueError("The sampling frequency must be positive.")
    values = _floats(signals[0][:])
    filtered = detector.band_pass(values, fs)
    preferred = _lead(values, fs, filtered)
    poor = preferred.quality.score < quality.GOOD
    analysed = [preferred] + [_around(signal, poor, fs) for signal in signals[1:] if poor.any()]
    scores = np.stack([lead.quality.score for lead in analysed])
    chosen = scores.argmax(axis=0)  # the first (preferred) lead wins ties
    combined = SegmentQuality(
        preferred.quality.samples,
        scores.max(axis=0),
        [analysed[lead].quality.reason[i] for i, lead in enumerate(chosen.tolist())],
    )
    beats, origin = _merge(analysed, chosen, combined, fs)
    return _findings(values, filtered, fs, beats, origin, combined, chosen)


def _leads(leads: Sequence[LeadSignal] | np.ndarray) -> Sequence[LeadSignal]:
    if isinstance(leads, np.ndarray) and leads.ndim == 2:
        return [leads[:, column] for column in range(leads.shape[1])]
    if isinstance(leads, np.ndarray) and leads.ndim == 1:
        return [leads]
    if isinstance(leads, np.ndarray) or not leads:
        raise ValueError("Give one lead (a 1-D array) or several (columns or a list).")
    return leads


def _floats(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values)
    if values.ndim != 1:
        raise ValueError("Give one lead (a 1-D array) or several (columns or a list).")
    return values if np.issubdtype(values.dtype, np.floating) else values.astype(np.float64)


def _lead(values: np.ndarray, fs: float, filtered: np.ndarray | None = None) -> Lead:
    filtered = detector.band_pass(values, fs) if filtered is None else filtered
    beats = detector.detect_beats(values, fs, filtered)
    return Lead(beats, quality.assess(values, filtered, fs, beats))


def _around(signal: LeadSignal, poor: np.ndarray, fs: float) -> Lead:
    """Another lead analysed around the runs of `poor` segments only: its beats there, and
    its quality in those segments (0 elsewhere, where it is not looked at)."""
    length = quality.segment_length(fs)
    score, reason = np.zeros(len(poor)), [""] * len(poor)
    parts = [np.empty(0, dtype=np.int64)]
    for first, stop in _runs(poor):
        lo, hi = max(0, first - CONTEXT_SEGMENTS), min(len(poor), stop + CONTEXT_SEGMENTS)
        excerpt = _lead(_floats(signal[lo * length : hi * length]), fs)
        score[first:stop] = excerpt.quality.score[first - lo : stop - lo]
        reason[first:stop] = excerpt.quality.reason[first - lo : stop - lo]
        parts.append(excerpt.beats + lo * length)
    return Lead(np.concatenate(parts), SegmentQuality(length, score, reason))


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """(first, stop) of each run of True, two runs as one where their context would overlap."""
    edges = np.diff(np.concatenate([[0], flags.astype(np.int8), [0]]))
    starts, stops = np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist()
    runs: list[tuple[int, int]] = []
    for first, stop in zip(starts, stops, strict=True):
        if runs and first - runs[-1][1] <= 2 * CONTEXT_SEGMENTS:
            first = runs.pop()[0]
        runs.append((first, stop))
    return runs


def _merge(
    analysed: list[Lead], chosen: np.ndarray, combined: SegmentQuality, fs: float
) -> tuple[np.ndarray, np.ndarray]:
    """Beats of each usable segment from its chosen lead, and the lead each came from."""
    length = combined.samples
    parts = []
    for index, lead in enumerate(analysed):
        segment = np.minimum(lead.beats // length, len(chosen) - 1)
        keep = (chosen[segment] == index) & combined.usable[segment]
        parts.append((lead.beats[keep], np.full(int(keep.sum()), index)))
    beats = np.concatenate([part[0] for part in parts])
    origin = np.concatenate([part[1] for part in parts])
    order = np.argsort(beats, kind="stable")
    beats, origin = beats[order], origin[order]
    if len(analysed) > 1 and len(beats) > 1:
        again = np.diff(beats) <= detector.REFRACTORY_S * fs
        keep = np.concatenate([[True], ~again])
        beats, origin = beats[keep], origin[keep]
    return beats.astype(np.int64), origin


def _findings(
    values: np.ndarray,
    filtered: np.ndarray,
    fs: float,
    beats: np.ndarray,
    origin: np.ndarray,
    combined: SegmentQuality,
    chosen: np.ndarray,
) -> Findings:
    unusable = _unusable_seconds(combined, fs, len(values))
    segment = np.minimum(beats // combined.samples, max(len(combined.score) - 1, 0))
    poor = (origin != 0) | (combined.score[segment] < quality.GOOD) if len(beats) else origin != 0
    codes = classes.classify(values, fs, beats, poor, filtered)
    rates = heart_rate.monitor_rate(beats, fs, unusable_seconds=unusable)
    known = heart_rate.interval_known(beats, fs, unusable)
    intervals = np.diff(beats) / fs
    known_rates = rates[np.isfinite(rates)]
    return Findings(
        fs=fs,
        r_peaks=beats,
        classes=codes,
        heart_rate=rates,
        quality=combined,
        segment_leads=chosen,
        pauses=heart_rate.find_pauses(beats, fs, known=known),
        ectopy=classes.ectopy(codes),
        mean_hr=60 * int(known.sum()) / float(intervals[known].sum()) if known.any() else None,
        min_hr=float(known_rates.min()) if len(known_rates) else None,
        max_hr=float(known_rates.max()) if len(known_rates) else None,
        **_variability(intervals, known, codes),
        signal_quality=round(float(combined.score.mean()), 3) if len(combined.score) else 0.0,
    )


def _unusable_seconds(combined: SegmentQuality, fs: float, n_samples: int) -> np.ndarray:
    """For each whole second, whether any of it lies in an unusable segment."""
    count = int(n_samples // fs)
    if not len(combined.score):
        return np.ones(count, dtype=bool)
    first = np.minimum(
        (np.arange(count) * fs).astype(np.int64) // combined.samples, len(combined.score) - 1
    )
    last = np.minimum(
        ((np.arange(count) + 1) * fs - 1).astype(np.int64) // combined.samples,
        len(combined.score) - 1,
    )
    return ~combined.usable[first] | ~combined.usable[last]


def _variability(
    intervals: np.ndarray, known: np.ndarray, codes: np.ndarray
) -> dict[str, float | None]:
    normal = _normal_intervals(intervals, known, codes)
    nn = intervals[normal] * 1000
    both = normal[:-1] & normal[1:]
    successive = np.diff(intervals * 1000)[both] if len(intervals) > 1 else np.empty(0)
    return {
        "sdnn_ms": float(np.std(nn, ddof=1)) if len(nn) > 1 else None,
        "rmssd_ms": float(np.sqrt(np.mean(np.square(successive)))) if len(successive) else None,
    }


def _normal_intervals(intervals: np.ndarray, known: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Which intervals are normal-to-normal."""
    if len(intervals) == 0:
        return np.zeros(0, dtype=bool)
    local = ndimage.median_filter(intervals, size=NN_NEIGHBOURS, mode="nearest")
    normal_beat = codes == classes.CODES.index(classes.NORMAL)
    in_range = (intervals >= NN_RANGE_S[0]) & (intervals <= NN_RANGE_S[1])
    steady = np.abs(intervals - local) <= NN_TOLERANCE * local
    return known & in_range & steady & normal_beat[:-1] & normal_beat[1:]
