"""ECG for the device-streaming tests: MIT-BIH record 100 as its ADC values, cut into frames."""

from datetime import UTC, datetime, timedelta
from functools import cache

import numpy as np
import wfdb

from heartmon.ecg.tests.records import PATHS
from heartmon.live import frames

RATE = 360.0
GAIN = 200.0
LEADS = ("MLII", "V5")


@cache
def record_100() -> np.ndarray:
    """(samples, 2) int16."""
    record = wfdb.rdrecord(str(PATHS["100"]), physical=False, sampto=int(RATE * 200))
    return record.d_signal.astype(np.int16)


def stream(
    seconds: float, *, first: int = 0, start: datetime | None = None, per_frame: int = 360
) -> list[bytes]:
    """Frames of record 100 from sample `first`, `per_frame` samples each; sample 0 was measured
    at `start` (default: three minutes ago)."""
    start = start or datetime.now(UTC) - timedelta(minutes=3)
    samples = record_100()[first : first + int(seconds * RATE)]
    return [
        frames.encode(
            frames.Frame(
                None,
                first + at,
                start + timedelta(seconds=(first + at) / RATE),
                RATE,
                GAIN,
                LEADS,
                samples[at : at + per_frame],
            )
        )
        for at in range(0, len(samples), per_frame)
    ]


def samples_of(data: list[bytes]) -> np.ndarray:
    return np.concatenate([frames.decode(frame).samples for frame in data])
