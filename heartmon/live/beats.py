"""Beat detection on each closed chunk of a live recording, with a few seconds of the chunk
before as context (the detector learns its levels there): the chunk's beats, the monitor's heart
rate for each of its whole seconds, and its pauses."""

from dataclasses import dataclass

import numpy as np

from heartmon.ecg.findings import analyse
from heartmon.ecg.heart_rate import Pause

CONTEXT_SECONDS = 8


@dataclass(frozen=True)
class ChunkFindings:
    beats: np.ndarray  # sample indices from the chunk's start (>= 0)
    rates: list[tuple[int, float]]  # (whole second from the chunk's start, bpm), known ones
    pauses: list[Pause]  # ending inside the chunk; `start` from the chunk's start (may be < 0)


def analyse_chunk(context: np.ndarray, chunk: np.ndarray, fs: float) -> ChunkFindings:
    """`context` and `chunk`: one lead in mV; `context` is a whole number of seconds."""
    offset = len(context)
    findings = analyse(np.concatenate([context, chunk])[:, np.newaxis], fs)
    beats = findings.r_peaks[findings.r_peaks >= offset] - offset
    skip = round(offset / fs)
    rates = [
        (second - skip, round(float(bpm), 1))
        for second, bpm in enumerate(findings.heart_rate.tolist())
        if second >= skip and np.isfinite(bpm)
    ]
    pauses = [
        Pause(start=pause.start - offset, seconds=pause.seconds)
        for pause in findings.pauses
        if pause.start + pause.seconds * fs >= offset
    ]
    return ChunkFindings(beats=beats, rates=rates, pauses=pauses)


def context_of(lead: np.ndarray, fs: float) -> np.ndarray:
    """The last whole CONTEXT_SECONDS (or fewer whole seconds) of a lead."""
    seconds = min(CONTEXT_SECONDS, int(len(lead) / fs))
    return lead[len(lead) - round(seconds * fs) :] if seconds else lead[:0]
