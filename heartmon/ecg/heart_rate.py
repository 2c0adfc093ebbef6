"""Heart rate as a bedside monitor computes it (IEC 60601-2-27), and pauses.

Each second's rate is 60 over the mean of the last 12 beat intervals after dropping the longest
and the shortest; when each of the last 3 intervals is over 1.2 s (a rate under 50 bpm), the mean
of the last 4 instead, so a slow rhythm shows without waiting for 12 beats. When no beat has come
for longer than that mean interval, the rate shown is 60 over the time since the last beat, so it
falls through a pause instead of holding its last value. Nothing is discarded for being long.
The rate stays within 20-300 bpm, the range heart-rate readings hold: a pause over 3 s shows as
20 bpm, and the pause event says how long it lasted.

An interval touching an unusable second (see `quality`) is no interval: its beats are not known.
The rate is unknown (NaN), never a number, in unusable seconds, until the first interval after
one, and before the first interval.
"""

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

INTERVALS = 12
SLOW_INTERVALS = 4
SLOW_S = 1.2  # each of the last 3 intervals longer than this: the rate is very low
RANGE_BPM = (20.0, 300.0)
PAUSE_S = 3.0
ASYSTOLE_S = 4.0


@dataclass(frozen=True)
class Pause:
    """An interval without a beat of at least 3 s; asystole from 4 s."""

    start: int  # sample of the beat before it
    seconds: float

    @property
    def kind(self) -> str:
        return "asystole" if self.seconds >= ASYSTOLE_S else "pause"


def interval_known(beats: np.ndarray, fs: float, unusable_seconds: np.ndarray) -> np.ndarray:
    """For each interval between consecutive beats, whether every second it touches is usable."""
    if len(beats) < 2:
        return np.zeros(0, dtype=bool)
    bad = np.concatenate([[0], np.cumsum(unusable_seconds, dtype=np.int64)])
    first = np.minimum((beats[:-1] / fs).astype(np.int64), len(unusable_seconds))
    last = np.minimum((beats[1:] / fs).astype(np.int64) + 1, len(unusable_seconds))
    return bad[last] - bad[first] == 0


def monitor_rate(beats: np.ndarray, fs: float, *, unusable_seconds: np.ndarray) -> np.ndarray:
    """One rate (bpm) per whole second of the signal (len(unusable_seconds) of them), as of
    that second's start."""
    seconds = np.arange(len(unusable_seconds), dtype=np.float64)
    rates = np.full(len(seconds), np.nan)
    known = interval_known(beats, fs, unusable_seconds)
    if not known.any():
        return rates
    times = beats / fs
    means = _mean_intervals(np.diff(times)[known])
    # For each beat, how many known intervals have ended by it.
    ended = np.concatenate([[0], np.cumsum(known)])
    last = np.searchsorted(times, seconds, side="right") - 1
    count = ended[np.maximum(last, 0)]
    blocked = _last_unusable(unusable_seconds) >= np.floor(times[np.maximum(last, 0)])
    shown = (last >= 0) & (count > 0) & ~blocked
    elapsed = seconds[shown] - times[last[shown]]
    interval = np.maximum(means[count[shown] - 1], elapsed)
    rates[shown] = np.clip(60.0 / interval, *RANGE_BPM)
    return rates


def _mean_intervals(intervals: np.ndarray) -> np.ndarray:
    """For each interval, the monitor's mean interval once it has ended."""
    padded = np.concatenate([np.full(INTERVALS - 1, np.nan), intervals])
    window = sliding_window_view(padded, INTERVALS)
    present = np.isfinite(window)
    count = present.sum(axis=1)
    total = _total(window, present)
    longest = np.where(present, window, -np.inf).max(axis=1)
    shortest = np.where(present, window, np.inf).min(axis=1)
    trimmed = np.where(count >= 3, (total - longest - shortest) / np.maximum(count - 2, 1), 0)
    mean = np.where(count >= 3, trimmed, total / count)
    recent = present[:, -SLOW_INTERVALS:]
    recent_mean = _total(window[:, -SLOW_INTERVALS:], recent) / recent.sum(axis=1)
    slow = np.all(window[:, -3:] > SLOW_S, axis=1)  # NaN (too few) compares False
    return np.where(slow, recent_mean, mean)


def _total(window: np.ndarray, present: np.ndarray) -> np.ndarray:
    return np.where(present, window, 0).sum(axis=1)


def _last_unusable(unusable_seconds: np.ndarray) -> np.ndarray:
    """For each second, the latest unusable second at or before it (-1 when none)."""
    marks = np.where(unusable_seconds, np.arange(len(unusable_seconds)), -1)
    return np.maximum.accumulate(marks) if len(marks) else marks


def find_pauses(beats: np.ndarray, fs: float, *, known: np.ndarray) -> list[Pause]:
    """Every known interval of at least 3 s."""
    intervals = np.diff(beats) / fs
    at = np.flatnonzero(known & (intervals >= PAUSE_S)) if len(intervals) else np.empty(0, int)
    return [Pause(int(beats[i]), round(float(intervals[i]), 3)) for i in at]
