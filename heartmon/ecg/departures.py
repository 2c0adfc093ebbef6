"""How far each beat departs from the normal beat around it: what the beat classes (`classes`)
weigh besides timing.

In each group of 64 beats the normal beat is the dominant shape (`morphology.dominant`, on the
detector's QRS band, early beats counting half). Each beat is measured against the mean of those
dominant beats, on the lead as recorded:
- departure: the energy of the beat less the normal beat over the QRS complex and ST segment
  (100 ms before to 150 ms after the R peak, each on its own PR level: its first 40 ms), over
  the normal beat's energy, at the best of ±20 ms of alignment. A normal beat scores about
  0.01-0.1 on a clean lead, a beat 40 % taller than normal 0.16, a wide ectopic complex 1-10.
- width: its main deflection's width at half height (`morphology.lobe_widths`, within 150 ms
  of the R peak) over the median of the dominant beats'.
A beat too near either end of the lead for its window departs by 0.
Beats are measured 8,192 at a time, so memory stays bounded on long recordings.
"""

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from heartmon.ecg import morphology

COMPARED_S = (-0.10, 0.15)
BASELINE_S = 0.04
SHIFT_S = 0.02
QRS_S = (-0.10, 0.10)  # the window whose shape finds the dominant beats
LOBE_S = 0.15
BLOCK = 128 * morphology.GROUP


@dataclass(frozen=True)
class Departures:
    """Per beat: its departure, its width over the normal width, and whether it has the
    dominant shape itself."""

    departure: np.ndarray
    width: np.ndarray
    normal: np.ndarray


def measure(
    values: np.ndarray, filtered: np.ndarray, fs: float, beats: np.ndarray, on_time: np.ndarray
) -> Departures:
    """Departures of `beats` on a lead in mV (`filtered`: its `detector.band_pass`);
    `on_time` says which beats do not come early."""
    parts = [
        _block(values, filtered, fs, beats[lo:hi], on_time[lo:hi]) for lo, hi in _blocks(len(beats))
    ]
    if not parts:
        return Departures(np.empty(0), np.empty(0), np.zeros(0, dtype=bool))
    departure, width, normal = (np.concatenate(column) for column in zip(*parts, strict=True))
    return Departures(departure, width, normal)


def _blocks(count: int) -> list[tuple[int, int]]:
    """Blocks of whole groups; a last block shorter than a group joins the one before it."""
    starts = list(range(0, count, BLOCK))
    if len(starts) > 1 and count - starts[-1] < morphology.GROUP:
        starts.pop()
    return list(zip(starts, [*starts[1:], count], strict=True))


def _block(
    values: np.ndarray, filtered: np.ndarray, fs: float, beats: np.ndarray, on_time: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    qrs = morphology.gather(filtered, beats, *_samples(QRS_S, fs))
    normal = morphology.dominant(qrs, on_time)
    half = int(LOBE_S * fs)
    widths = morphology.lobe_widths(morphology.gather(values, beats, -half, half + 1), fs)
    typical = morphology.group_medians(widths, normal)
    width = np.divide(widths, typical, out=np.ones(len(beats)), where=typical > 0)
    return _departure(values, fs, beats, normal), width, normal


def _samples(span: tuple[float, float], fs: float) -> tuple[int, int]:
    """A window in seconds around the R peak as [start, stop) sample offsets."""
    return round(span[0] * fs), round(span[1] * fs) + 1


def _departure(values: np.ndarray, fs: float, beats: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """The least residual energy over the shifts, relative to the normal beat's energy."""
    start, stop = _samples(COMPARED_S, fs)
    margin, width = int(SHIFT_S * fs), stop - start
    base = max(1, int(BASELINE_S * fs))
    wide = morphology.gather(values, beats, start - margin, stop + margin)
    wide -= wide[:, margin : margin + base].mean(axis=1, keepdims=True)
    template = morphology.group_means(wide[:, margin : margin + width], normal)
    template -= template[:, :base].mean(axis=1, keepdims=True)
    energy = np.square(template).sum(axis=1, dtype=np.float64)
    least = _residuals(wide, template, base).min(axis=1) + energy
    departure = np.maximum(least, 0) / np.maximum(energy, np.finfo(np.float64).tiny)
    # A beat too near an end for its window has none of its own: it is taken as normal.
    whole = (beats + start - margin >= 0) & (beats + stop + margin <= len(values))
    return np.where(whole, departure, 0.0)


def _residuals(wide: np.ndarray, template: np.ndarray, base: int) -> np.ndarray:
    """(beats, shifts): |w - c - t|² less |t|² for the window w at each shift along `wide` (c:
    its level over its first `base` samples; t: the template). It expands into sums of w and
    w² over windows, and w·t, all shifts at once."""
    width = template.shape[1]
    shifts = wide.shape[1] - width + 1
    level = _window_sums(wide, base, shifts) / base
    window = _window_sums(wide, width, shifts)
    power = _window_sums(np.square(wide), width, shifts)
    product = np.einsum("isw,iw->is", sliding_window_view(wide, width, axis=1), template)
    total = template.sum(axis=1, dtype=np.float64)[:, None]
    return power - 2 * level * window + width * level**2 - 2 * (product - level * total)


def _window_sums(rows: np.ndarray, width: int, shifts: int) -> np.ndarray:
    """(rows, shifts): each row's sums over [shift, shift + width), each from the one before
    (a sample in, a sample out): far cheaper than summing every window or a cumulative sum
    along the rows."""
    first = rows[:, :width].sum(axis=1, dtype=np.float64)[:, None]
    steps = rows[:, width : width + shifts - 1].astype(np.float64) - rows[:, : shifts - 1]
    return np.concatenate([first, first + np.cumsum(steps, axis=1)], axis=1)
