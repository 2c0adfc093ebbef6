"""Beat shapes: windows of signal around beats, the dominant shape among neighbouring beats, and
how far each beat departs from it."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import signal

HALF_WIDTH_S = 0.1  # a window spans the QRS complex: 100 ms either side of the R peak
GROUP = 64  # beats per template: short enough to follow slow changes of shape
SIMILAR = 0.9  # correlation at which two complexes have the same shape
OFF_TIME_WEIGHT = 0.5  # an early beat counts half when the dominant shape is chosen
LOBE_SEARCH_S = 0.06  # the main deflection peaks within this of the R peak
SETTLE_S = 0.5  # a window filtered on its own is this much longer either side


def beat_windows(filtered: np.ndarray, fs: float, beats: np.ndarray) -> np.ndarray:
    """(beats, width) float32: the signal ±100 ms around each beat, each less its mean (a beat
    near either end takes the first or last whole window)."""
    half = max(1, int(HALF_WIDTH_S * fs))
    windows = gather(filtered, beats, -half, half + 1)
    return windows - windows.mean(axis=1, keepdims=True)


def gather(values: np.ndarray, beats: np.ndarray, start: int, stop: int) -> np.ndarray:
    """(beats, stop - start) float32: samples [beat + start, beat + stop) of each beat (a beat
    near either end takes the first or last whole window; zeros when the signal is shorter)."""
    width = stop - start
    if len(values) < width:
        return np.zeros((len(beats), width), dtype=np.float32)
    at = np.clip(np.asarray(beats) + start, 0, len(values) - width)
    return sliding_window_view(values, width)[at].astype(np.float32, copy=False)


def band_windows(
    values: np.ndarray,
    fs: float,
    beats: np.ndarray,
    span: tuple[int, int],
    band: tuple[float, float],
) -> np.ndarray:
    """Windows [beat + span[0], beat + span[1]) of the signal filtered to `band` (zero phase),
    each filtered on its own with half a second either side for the filter to settle: for a
    few beats, cheaper than filtering the whole signal."""
    pad = int(SETTLE_S * fs)
    windows = gather(values, beats, span[0] - pad, span[1] + pad)
    sos = signal.butter(2, band, btype="bandpass", fs=fs, output="sos")
    return signal.sosfiltfilt(sos, windows, axis=1)[:, pad:-pad].astype(np.float32)


def normalised(windows: np.ndarray) -> np.ndarray:
    """Each window less its mean, scaled to unit length (zeros stay zeros): their dot products
    are Pearson correlations."""
    centred = windows - windows.mean(axis=-1, keepdims=True)
    norms = np.linalg.norm(centred, axis=-1, keepdims=True)
    return np.divide(centred, norms, out=np.zeros_like(centred), where=norms > 0)


def groups(count: int) -> np.ndarray:
    """Consecutive beats in groups of 64 as (groups, 64) beat indices, a short last group
    filled up with the beats before it: beat i is at flat index i, in group i // 64."""
    size = min(GROUP, count)
    number = -(-count // size) if size else 0
    borrowed = np.arange(count - size, number * size - size)
    return np.concatenate([np.arange(count), borrowed]).reshape(number, size)


def dominant(shapes: np.ndarray, on_time: np.ndarray) -> np.ndarray:
    """Which beats have the dominant shape of their group of 64 (`shapes`: their QRS windows):
    the beats alike (correlation 0.9) to the beat with the most alike beats, early ones
    counting half, so in bigeminy the dominant shape is the beat that comes on time. A median
    of all beats would take the ectopic shape wherever it is the more frequent."""
    if len(shapes) == 0:
        return np.zeros(0, dtype=bool)
    order = groups(len(shapes))
    unit = normalised(shapes)[order]
    alike = np.matmul(unit, unit.transpose(0, 2, 1)) > SIMILAR
    weight = np.where(on_time[order], 1.0, OFF_TIME_WEIGHT)
    centre = (alike.sum(axis=2) * weight).argmax(axis=1)
    return alike[np.arange(len(order)), centre].ravel()[: len(shapes)]


def group_means(windows: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Each beat's template: the mean window of its group's `members` (of all its group when
    it has none)."""
    order = groups(len(windows))
    chosen = members[order]
    chosen[~chosen.any(axis=1)] = True
    weights = chosen / chosen.sum(axis=1, keepdims=True)
    means = np.einsum("gi,giw->gw", weights, windows[order]).astype(np.float32)
    return means[np.arange(len(windows)) // order.shape[1]]


def group_medians(values: np.ndarray, members: np.ndarray) -> np.ndarray:
    """Each beat's group median of `values` over its group's `members` (all when none)."""
    order = groups(len(values))
    chosen = members[order]
    chosen[~chosen.any(axis=1)] = True
    medians = np.nanmedian(np.where(chosen, values[order], np.nan), axis=1)
    return medians[np.arange(len(values)) // order.shape[1]]


def group_correlation(
    filtered: np.ndarray, fs: float, beats: np.ndarray, chosen: np.ndarray
) -> np.ndarray:
    """Pearson correlation of the `chosen` beats (indices into `beats`) with their template:
    the median of the windows (`beat_windows`) of their group of 64, which the group's common
    shape owns however odd a third of its beats are (0 for a flat window). Only the chosen
    beats' groups are looked at."""
    if len(chosen) == 0:
        return np.empty(0)
    order = groups(len(beats))
    size = order.shape[1]
    wanted, group = np.unique(np.asarray(chosen) // size, return_inverse=True)
    windows = beat_windows(filtered, fs, beats[order[wanted].ravel()])
    templates = np.median(windows.reshape(len(wanted), size, -1), axis=1)
    own = normalised(beat_windows(filtered, fs, beats[chosen]))
    return np.einsum("iw,iw->i", own, normalised(templates[group]))


def lobe_widths(windows: np.ndarray, fs: float) -> np.ndarray:
    """Width (samples, interpolated) of each beat's main deflection at half its height: the
    largest swing within 60 ms of the middle of its window (less its median), from where it
    rises past half its peak to where it falls back. Wide ventricular complexes have wide
    lobes whatever their polarity."""
    count, width = windows.shape
    centre, search = width // 2, int(LOBE_SEARCH_S * fs)
    level = windows - np.median(windows[:, ::3], axis=1, keepdims=True)  # a third is plenty
    rows = np.arange(count)
    peak = np.abs(level[:, centre - search : centre + search + 1]).argmax(axis=1)
    peak += centre - search
    height = level[rows, peak]
    above = level * np.sign(height)[:, None] - np.abs(height)[:, None] / 2
    below = above <= 0
    index = np.arange(width)[None, :]
    left, right = below & (index < peak[:, None]), below & (index > peak[:, None])
    # The last sample below half height before the peak and the first after it (argmax finds
    # the first True); -1 and width where there is none.
    before = np.where(left.any(axis=1), width - 1 - left[:, ::-1].argmax(axis=1), -1)
    after = np.where(right.any(axis=1), right.argmax(axis=1), width)
    return _crossing(above, rows, after, width, rising=False) - _crossing(
        above, rows, before, width, rising=True
    )


def _crossing(
    above: np.ndarray, rows: np.ndarray, outside: np.ndarray, width: int, *, rising: bool
) -> np.ndarray:
    """Where the lobe crosses half height between `outside` (the last sample below it, or one
    past the window) and its neighbour inside, by linear interpolation."""
    edge = np.clip(outside, 0, width - 2) if rising else np.clip(outside, 1, width - 1)
    inner = edge + 1 if rising else edge - 1
    low, high = above[rows, edge], above[rows, inner]
    step = np.divide(-low, high - low, out=np.zeros(len(rows)), where=high != low)
    crossing = edge + step if rising else edge - step
    return np.where((outside < 0) | (outside >= width), np.clip(outside, 0, width - 1), crossing)
