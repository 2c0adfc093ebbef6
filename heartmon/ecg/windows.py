"""Reading windows of a recording's signal: which samples a time range covers, min/max
downsampling for display, and the JSON-ready answers of the samples and data endpoints.

Sample i of a recording is at start_time + i / sample_rate; a window [start, end) holds the
samples at or after start and before end."""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from heartmon.core.errors import InvalidInput
from heartmon.ecg import storage
from heartmon.ecg.models import Recording

MAX_VALUES = 2_000_000  # samples x leads answered at full resolution
MAX_SCAN_VALUES = 40_000_000  # samples x leads read to downsample
MIN_POINTS = 10
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class Window:
    first: int  # index of the first sample
    stop: int  # index after the last sample
    leads: list[int]

    @property
    def length(self) -> int:
        return max(0, self.stop - self.first)

    @property
    def values(self) -> int:
        return self.length * len(self.leads)


def sample_at(recording: Recording, moment: datetime) -> int:
    """Index of the first sample at or after `moment` (may fall outside the recording)."""
    exact = (moment - recording.start_time) / _MICROSECOND * recording.sample_rate / 1e6
    return math.ceil(exact - 1e-6)  # a moment on a sample, give or take float rounding, is it


def window_of(
    recording: Recording,
    *,
    start: datetime | None,
    end: datetime | None,
    leads: list[str] | None = None,
) -> Window:
    first = 0 if start is None else sample_at(recording, start)
    stop = recording.sample_count if end is None else sample_at(recording, end)
    first = min(max(first, 0), recording.sample_count)
    stop = min(max(stop, first), recording.sample_count)
    return Window(first=first, stop=stop, leads=lead_indices(recording, leads))


def lead_indices(recording: Recording, names: list[str] | None) -> list[int]:
    if not names:
        return list(range(recording.lead_count))
    unknown = [name for name in names if name not in recording.leads]
    if unknown:
        raise InvalidInput(
            f"No lead {', '.join(unknown)} in this recording; it has {', '.join(recording.leads)}.",
            field="leads",
        )
    return [recording.leads.index(name) for name in names]


def check_size(values: int, *, max_points: int | None) -> None:
    """Refuse a window too large to answer: at full resolution, or even to downsample."""
    if max_points is None and values > MAX_VALUES:
        raise InvalidInput(
            f"The window holds {values} values (samples x leads); at most {MAX_VALUES} come at "
            "full resolution. Narrow it, pick leads, or give max_points.",
            field="end",
        )
    if values > MAX_SCAN_VALUES:
        raise InvalidInput(
            f"The window holds {values} values (samples x leads); at most {MAX_SCAN_VALUES} can "
            "be downsampled at once. Narrow it or pick leads.",
            field="end",
        )


def min_max(samples: np.ndarray, max_points: int) -> tuple[np.ndarray, np.ndarray]:
    """At most `max_points` points per lead keeping every peak and trough: the samples split
    into max_points / 2 equal buckets, each giving its minimum and maximum in time order.
    Returns the points' sample offsets (a bucket's start and middle, shared by all leads) and
    the (points, leads) values."""
    count, lead_count = samples.shape
    size = math.ceil(count / (max_points // 2))
    buckets = math.ceil(count / size)
    padded = np.pad(samples, ((0, buckets * size - count), (0, 0)), mode="edge")
    grouped = padded.reshape(buckets, size, lead_count)
    low_at, high_at = grouped.argmin(axis=1), grouped.argmax(axis=1)
    low = np.take_along_axis(grouped, low_at[:, None, :], axis=1)[:, 0, :]
    high = np.take_along_axis(grouped, high_at[:, None, :], axis=1)[:, 0, :]
    low_first = low_at <= high_at
    pairs = np.stack([np.where(low_first, low, high), np.where(low_first, high, low)], axis=1)
    starts = np.arange(buckets) * size
    offsets = np.stack([starts, starts + size // 2], axis=1).reshape(-1)
    return offsets, pairs.reshape(buckets * 2, lead_count)


def read_window(
    recording: Recording, window: Window, *, max_points: int | None
) -> tuple[np.ndarray | None, np.ndarray]:
    """The window's int16 samples, downsampled when they outnumber max_points; with the points'
    sample offsets from the window's first sample (None at full resolution)."""
    check_size(window.values, max_points=max_points)
    samples = storage.read_samples(recording, window.first, window.stop, window.leads)
    if max_points is None or len(samples) <= max_points:
        return None, samples
    return min_max(samples, max_points)


def signal_answer(
    recording: Recording, window: Window, *, max_points: int | None
) -> dict[str, Any]:
    """A window in mV, one array per lead (float32: orjson writes the shortest exact form)."""
    offsets, samples = read_window(recording, window, max_points=max_points)
    millivolts = storage.physical(recording, samples, window.leads).astype(np.float32)
    rate = recording.sample_rate
    return {
        "start": recording.time_of(window.first),
        "end": recording.time_of(window.stop),
        "first_sample": window.first,
        "sample_count": window.length,
        "sample_rate": rate,
        "leads": [recording.leads[index] for index in window.leads],
        "units": "mV",
        "downsampled": offsets is not None,
        "times": None if offsets is None else (offsets / rate).astype(np.float32),
        "values": np.ascontiguousarray(millivolts.T),
    }


def raw_headers(recording: Recording, window: Window) -> dict[str, str]:
    """What a client needs to read raw int16 samples: X-Gains in ADC units per mV."""
    return {
        "X-Start-Time": recording.time_of(window.first).isoformat(),
        "X-First-Sample": str(window.first),
        "X-Sample-Rate": repr(recording.sample_rate),
        "X-Lead-Names": ",".join(recording.leads[index] for index in window.leads),
        "X-Gains": ",".join(repr(float(recording.gains[index])) for index in window.leads),
        "X-Baselines": ",".join(repr(float(recording.baselines[index])) for index in window.leads),
    }
