"""WFDB (PhysioNet) records through the wfdb library: the header (.hea) and one signal file
(.dat) holding every lead, in any format of at most 16 bits (16 and 212 among them), one sample
per frame."""

from collections.abc import Iterator
from contextlib import contextmanager
from math import ceil
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import numpy as np
import wfdb

from heartmon.ecg.formats.base import (
    FormatError,
    Signal,
    Upload,
    block_rows,
    check_lead_count,
    check_sample_rate,
    gain_per_millivolt,
    lead_names,
    place,
)

BYTES_PER_SAMPLE = {
    "8": 1.0,
    "16": 2.0,
    "61": 2.0,
    "80": 1.0,
    "160": 2.0,
    "212": 1.5,
    "310": 4 / 3,
    "311": 4 / 3,
}
RECORD = "record"
# A 12-lead header with its comments takes a few kilobytes. wfdb spends about 0.3 ms on each
# signal line, so a header is refused unparsed past this size or past the device's leads.
MAX_HEADER_BYTES = 64 * 1024


@contextmanager
def open_signal(upload: Upload, *, max_leads: int) -> Iterator[Signal]:
    if upload.header is None:
        raise FormatError(
            "A WFDB record needs its header: send the .hea as `header`.", field="header"
        )
    _check_header(upload.header, max_leads)
    with TemporaryDirectory(prefix="heartmon-wfdb-") as folder:
        record = Path(folder) / RECORD
        place(upload.header, record.with_suffix(".hea"))
        header = _read_header(record)
        data_file = _data_file_name(header)
        place(upload.file, Path(folder) / data_file)
        yield _signal(record, header, upload.file.size)


def _check_header(header: Any, max_leads: int) -> None:
    """Refuse, before wfdb parses it, a header larger than any real one, a multi-segment record,
    or more signal lines (or a record line declaring more signals) than the device has leads."""
    if header.size > MAX_HEADER_BYTES:
        raise FormatError(
            f"The header holds {header.size:,} bytes; heartmon takes WFDB headers of up to "
            f"{MAX_HEADER_BYTES:,}.",
            field="header",
        )
    header.seek(0)
    stripped = (line.strip() for line in header.read().decode("latin-1").splitlines())
    lines = [line for line in stripped if line and not line.startswith("#")]
    if not lines:
        raise FormatError("The WFDB header has no record line.", field="header")
    record_line = lines[0].split()
    if "/" in record_line[0]:
        raise FormatError(
            "This is a multi-segment record; heartmon takes single-segment records (one "
            "header and one signal file).",
            field="header",
        )
    declared = record_line[1] if len(record_line) > 1 else ""
    check_lead_count(max(len(lines) - 1, int(declared) if declared.isdigit() else 0), max_leads)


def _read_header(record: Path) -> Any:
    try:
        return wfdb.rdheader(str(record))
    # The header is untrusted text and wfdb reports its faults with many exception types.
    except Exception as exc:
        raise FormatError(f"Not a readable WFDB header: {exc}", field="header") from exc


def _data_file_name(header: Any) -> str:
    """The one signal file every lead is in, by a plain name: the header comes from the client,
    so a name with a path in it must never reach the file system."""
    names = set(header.file_name or [])
    if len(names) != 1:
        raise FormatError("All leads must be in one signal (.dat) file.", field="header")
    (name,) = names
    if Path(name).name != name or name in {"", ".", "..", "~"} or name.startswith("."):
        raise FormatError(f"The header names the signal file {name!r}.", field="header")
    return str(name)


def _signal(record: Path, header: Any, size: int) -> Signal:
    count = int(header.n_sig or 0)
    if count == 0:
        raise FormatError("The WFDB header lists no signal.", field="header")
    formats = set(header.fmt)
    if len(formats) != 1 or not formats <= BYTES_PER_SAMPLE.keys():
        raise FormatError(
            f"Signal format {'/'.join(sorted(formats))}: heartmon takes "
            f"{', '.join(BYTES_PER_SAMPLE)} (one per record).",
            field="header",
        )
    if any((frames or 1) != 1 for frames in header.samps_per_frame) or any(header.skew or []):
        raise FormatError("Multi-frequency or skewed records are not supported.", field="header")
    offset = max(offset or 0 for offset in header.byte_offset)
    per_sample = BYTES_PER_SAMPLE[formats.pop()]
    length = header.sig_len or int((size - offset) / (per_sample * count))
    needed = offset + ceil(length * count * per_sample)
    if size < needed:
        raise FormatError(
            f"The signal file holds {size} bytes; the header promises {length} samples of "
            f"{count} leads. Is it truncated?"
        )
    if size >= needed + ceil(count * per_sample):  # more than a frame's rounding
        raise FormatError(
            f"The signal file holds {size} bytes; the header promises {length} samples of "
            f"{count} leads, {needed} bytes. Is the header's length wrong?"
        )
    leads = lead_names(header.sig_name, "header")
    units = [unit or "mV" for unit in header.units]
    return Signal(
        sample_rate=check_sample_rate(float(header.fs), "header"),
        leads=leads,
        units=units,
        gains=[
            gain_per_millivolt(float(gain), unit, lead)
            for gain, unit, lead in zip(header.adc_gain, units, leads, strict=True)
        ],
        baselines=[float(baseline) for baseline in header.baseline],
        sample_count=int(length),
        blocks=_blocks(record, count, int(length)),
    )


def _blocks(record: Path, count: int, length: int) -> Iterator[np.ndarray]:
    rows = block_rows(count)
    for start in range(0, length, rows):
        try:
            part = wfdb.rdrecord(
                str(record),
                sampfrom=start,
                sampto=min(length, start + rows),
                physical=False,
                return_res=16,
            )
        except Exception as exc:  # see _read_header
            raise FormatError(f"Not a readable WFDB signal file: {exc}") from exc
        yield np.asarray(part.d_signal, dtype=np.int16)
