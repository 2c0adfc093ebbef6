"""Beat shapes: a window of signal around each beat, and how alike neighbouring beats are."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

HALF_WIDTH_S = 0.1  # a window spans the QRS complex: 100 ms either side of the R peak
GROUP = 64  # beats per template: short enough to follow slow changes of shape


def beat_windows(
    filtered: np.ndarray, fs: float, beats: np.ndarray, extra_s: float = 0.0
) -> np.ndarray:
    """(beats, width) float32: the signal ±100 ms (and `extra_s`) around each beat, each less
    its mean (a beat near either end takes the first or last whole window)."""
    half = max(1, int(HALF_WIDTH_S * fs)) + int(extra_s * fs)
    width = 2 * half + 1
    if len(filtered) < width:
        return np.zeros((len(beats), width), dtype=np.float32)
    at = np.clip(np.asarray(beats) - half, 0, len(filtered) - width)
    windows = sliding_window_view(filtered, width)[at].astype(np.float32)
    return windows - windows.mean(axis=1, keepdims=True)


def templates(windows: np.ndarray, among: np.ndarray | None = None) -> np.ndarray:
    """Each beat's template: the median of the beats of its group of 64 consecutive beats
    (those `among` says, when given and the group has some), which the group's common shape
    owns however odd a third of its beats are."""
    count = len(windows)
    groups = -(-count // GROUP)
    if groups == 1:
        chosen = windows if among is None or not among.any() else windows[among]
        return np.broadcast_to(np.median(chosen, axis=0), windows.shape)
    # A short last group borrows the beats before it.
    borrowed = np.arange(count - GROUP, groups * GROUP - GROUP)
    order = np.concatenate([np.arange(count), borrowed])
    shaped = windows[order].reshape(groups, GROUP, -1)
    medians = np.median(shaped, axis=1)
    if among is not None:
        chosen = among[order].reshape(groups, GROUP)
        some = chosen.any(axis=1)
        masked = np.where(chosen[:, :, None], shaped, np.nan)[some]
        medians[some] = np.nanmedian(masked, axis=1)
    return np.repeat(medians, GROUP, axis=0)[:count]


def template_correlation(windows: np.ndarray) -> np.ndarray:
    """Pearson correlation of each beat with its template (0 for a flat window)."""
    if len(windows) == 0:
        return np.empty(0)
    return correlation(windows, templates(windows))


def correlation(windows: np.ndarray, template: np.ndarray) -> np.ndarray:
    """Pearson correlation of each window with the template in the same row (0 when flat)."""
    windows = windows - windows.mean(axis=1, keepdims=True)
    template = template - template.mean(axis=1, keepdims=True)
    products = np.einsum("ij,ij->i", windows, template)
    norms = np.linalg.norm(windows, axis=1) * np.linalg.norm(template, axis=1)
    return np.divide(products, norms, out=np.zeros(len(windows)), where=norms > 0)


def best_correlation(wide: np.ndarray, template: np.ndarray) -> np.ndarray:
    """The highest correlation of each beat with its template over the shifts `wide` allows
    (its windows are wider than the template by the same margin either side): an R peak placed
    on the S wave of a small, noisy complex still finds its shape."""
    width = template.shape[1]
    margin = (wide.shape[1] - width) // 2
    shifts = [correlation(wide[:, at : at + width], template) for at in range(2 * margin + 1)]
    return np.max(shifts, axis=0) if shifts else np.empty(0)
