"""Raw samples: little-endian int16, leads interleaved, no header; the request states the sample
rate, the lead names and the gain (and optionally the baseline)."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from heartmon.ecg.formats.base import (
    FormatError,
    Signal,
    Upload,
    block_rows,
    check_lead_count,
)


@contextmanager
def open_signal(upload: Upload, *, max_leads: int) -> Iterator[Signal]:
    if not (upload.sample_rate and upload.leads and upload.gains):
        raise FormatError("int16 files need sample_rate, leads and gain.", field="format")
    lead_count = len(upload.leads)
    check_lead_count(lead_count, max_leads)
    size = upload.file.size
    if size == 0 or size % (2 * lead_count):
        raise FormatError(
            f"The file holds {size} bytes: not whole samples of {lead_count} leads of 2 bytes "
            "each. Is it truncated, or are the leads wrong?"
        )
    yield Signal(
        sample_rate=upload.sample_rate,
        leads=upload.leads,
        units=["mV"] * lead_count,
        gains=upload.gains,
        baselines=upload.baselines or [0.0] * lead_count,
        sample_count=size // (2 * lead_count),
        blocks=_blocks(upload.file, lead_count),
    )


def _blocks(file: Any, lead_count: int) -> Iterator[np.ndarray]:
    file.seek(0)
    while data := file.read(block_rows(lead_count) * lead_count * 2):
        yield np.frombuffer(data, dtype="<i2").reshape(-1, lead_count).astype(np.int16)
