"""Signal quality of one lead per 10-second segment: a score from 0 (unusable) to 1 (clean) and,
below 0.5, the reason: a flat line, clipping, or noise.

- Flat line: half the segment's seconds or more span under 0.02 mV (a lead off or unplugged;
  even asystole keeps a few microvolts of baseline). Score 0.
- Clipping: the share of samples sitting on the segment's extreme values with both neighbours
  there too (the converter's rail); a clean R peak touches its maximum for a sample or two.
  Score 1 - 10 x share.
- Noise: the lead's typical QRS amplitude (band-passed, median over all beats) against the
  segment's RMS outside the QRS complexes. Clean ECG has ratios of 10-30, a noise burst as tall
  as the beats about 2. Score (ratio - 2) / 8. A lead without beats has nothing to compare with
  and scores 0 unless flat.

A segment scoring under 0.15 is unusable: no beats are reported and no heart rate is derived
inside it.
"""

from dataclasses import dataclass

import numpy as np

SEGMENT_SECONDS = 10
FLAT_MV = 0.02
CLIP_WEIGHT = 10.0
NOISE_RATIO = (2.0, 10.0)  # QRS-to-noise ratio scoring 0 and 1
QRS_HALF_S = 0.08  # what counts as the QRS complex around a beat, either side
BLOCK_SEGMENTS = 360  # segments assessed at a time: an hour
GOOD = 0.5  # at or above, no reason is given
UNUSABLE = 0.15
FLAT, CLIPPING, NOISE = "flat line", "clipping", "noise"


@dataclass(frozen=True)
class SegmentQuality:
    """Scores and reasons of consecutive segments of `samples` samples each (the last one may
    be shorter)."""

    samples: int
    score: np.ndarray
    reason: list[str]

    @property
    def usable(self) -> np.ndarray:
        return self.score >= UNUSABLE

    def usable_samples(self, positions: np.ndarray) -> np.ndarray:
        """Which sample positions lie in usable segments."""
        segment = np.minimum(np.asarray(positions) // self.samples, len(self.score) - 1)
        return self.usable[segment] if len(self.score) else np.zeros(len(positions), bool)


def segment_length(fs: float) -> int:
    return SEGMENT_SECONDS * max(1, round(fs))


def assess(
    values: np.ndarray, filtered: np.ndarray, fs: float, beats: np.ndarray
) -> SegmentQuality:
    """Quality of each segment of one lead (`filtered` is its QRS band-pass, `beats` what the
    detector found in it), an hour of segments at a time so memory stays bounded."""
    length = segment_length(fs)
    if len(values) == 0:
        return SegmentQuality(length, np.empty(0), [])
    qrs = float(np.median(np.abs(filtered[beats]))) if len(beats) else None
    half = int(QRS_HALF_S * fs)
    parts = []
    for lo, hi in _blocks(len(values), length):
        near = slice(*np.searchsorted(beats, [lo - half, hi + half]))
        segments = _segments(values[lo:hi], length)
        noise = _noise_scores(filtered[lo:hi], beats[near] - lo, qrs, half, length)
        flat = _flat_scores(segments, max(1, round(fs)))
        parts.append(np.stack([flat, _clip_scores(segments), noise]))
    scores = np.concatenate(parts, axis=1)
    worst = scores.argmin(axis=0)
    score = np.round(scores.min(axis=0), 2)
    names = [FLAT, CLIPPING, NOISE]
    reason = [
        names[w] if s < GOOD else "" for w, s in zip(worst.tolist(), score.tolist(), strict=True)
    ]
    return SegmentQuality(length, score, reason)


def _blocks(count: int, length: int) -> list[tuple[int, int]]:
    """Blocks of whole segments; a short last segment stays with the block before it, so its
    mirrored completion (`_segments`) reads the same samples as it would in one piece."""
    starts = list(range(0, count, length * BLOCK_SEGMENTS))
    if len(starts) > 1 and count - starts[-1] < length:
        starts.pop()
    return list(zip(starts, [*starts[1:], count], strict=True))


def _segments(values: np.ndarray, length: int) -> np.ndarray:
    """(segments, length): a short last segment is completed by mirroring its own samples
    (whole segments are a view, not a copy)."""
    count = -(-len(values) // length)
    if count * length == len(values):
        return values.reshape(count, length)
    padded = np.pad(values, (0, count * length - len(values)), mode="symmetric")
    return padded.reshape(count, length)


def _flat_scores(segments: np.ndarray, second: int) -> np.ndarray:
    seconds = segments.reshape(len(segments), -1, second)
    spans = seconds.max(axis=2) - seconds.min(axis=2)
    flat = (spans < FLAT_MV).mean(axis=1)
    return np.where(flat >= 0.5, 0.0, 1.0)


def _clip_scores(segments: np.ndarray) -> np.ndarray:
    share = _plateau(segments, segments.max(axis=1)) + _plateau(segments, segments.min(axis=1))
    return np.clip(1 - CLIP_WEIGHT * share / segments.shape[1], 0, 1)


def _plateau(segments: np.ndarray, extreme: np.ndarray) -> np.ndarray:
    """Per segment, samples on the extreme value with both neighbours there too: a rail, not
    the tip of a peak."""
    at = segments == extreme[:, None]
    return (at[:, 2:] & at[:, 1:-1] & at[:, :-2]).sum(axis=1)


def _noise_scores(
    filtered: np.ndarray, beats: np.ndarray, qrs: float | None, half: int, length: int
) -> np.ndarray:
    """Per segment, the typical QRS amplitude `qrs` against the RMS outside the QRS windows
    (`half` samples either side of each of `beats`)."""
    count = -(-len(filtered) // length)
    if qrs is None:
        return np.zeros(count)
    inside = _inside_qrs(len(filtered), beats, half)
    power = np.square(np.where(inside, np.float32(0), filtered))
    starts = np.arange(0, len(filtered), length)
    sums = np.add.reduceat(power, starts, dtype=np.float64)
    lengths = np.diff(np.append(starts, len(filtered)))
    counts = lengths - np.bincount(np.flatnonzero(inside) // length, minlength=count)
    rms = np.sqrt(sums / np.maximum(counts, 1))
    ratio = np.divide(qrs, rms, out=np.full(count, np.inf), where=rms > 0)
    low, high = NOISE_RATIO
    return np.clip((ratio - low) / (high - low), 0, 1)


def _inside_qrs(length: int, beats: np.ndarray, half: int) -> np.ndarray:
    """True for the samples within `half` of a beat (beats may lie outside, their windows
    reaching in): one pass per offset in the window, far cheaper than a cumulative sum over
    every sample."""
    inside = np.zeros(length, dtype=bool)
    for offset in range(-half, half + 1):
        at = beats + offset
        inside[at[(at >= 0) & (at < length)]] = True
    return inside
