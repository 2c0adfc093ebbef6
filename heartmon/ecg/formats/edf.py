"""EDF and EDF+ (16-bit) through pyedflib. Every signal is a lead and all share one sample rate
and length; an EDF+ annotation channel is not a signal. The file's start date is not used: the
request states the start time."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import numpy as np
import pyedflib

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

INT16 = np.iinfo(np.int16)
FIXED_HEADER = 256  # bytes, then 256 per signal
ANNOTATIONS = b"EDF Annotations"
MAX_ANNOTATION_SIGNALS = 4  # EDF+ files carry one, rarely a few


@contextmanager
def open_signal(upload: Upload, *, max_leads: int) -> Iterator[Signal]:
    _check_header(upload.file, max_leads)
    with TemporaryDirectory(prefix="heartmon-edf-") as folder:
        path = Path(folder) / "upload.edf"
        place(upload.file, path)
        reader = _open(path)
        try:
            yield _signal(reader)
        finally:
            reader.close()


def _check_header(file: Any, max_leads: int) -> None:
    """Read the header's fixed-width fields before edflib does, and refuse more signals than the
    device has leads (annotation channels aside), records of no duration, and a file whose size
    is not what its records add up to."""
    file.seek(0)
    fixed = file.read(FIXED_HEADER)
    if len(fixed) < FIXED_HEADER or fixed[:8] != b"0       ":
        raise FormatError("Not an EDF/EDF+ file: its header does not start as one.")
    signals = _field(fixed[252:256], int, "signal count")
    if signals < 1:
        raise FormatError("The EDF file holds no signal.")
    _check_leads(file, signals, max_leads)
    if not _field(fixed[244:252], float, "record duration") > 0:
        raise FormatError("The EDF data records last 0 s: the sample rate is undefined.")
    _check_size(file, signals, records=_field(fixed[236:244], int, "record count"))


def _check_leads(file: Any, signals: int, max_leads: int) -> None:
    if signals > max_leads + MAX_ANNOTATION_SIGNALS:  # too many for leads and annotations
        check_lead_count(signals, max_leads)
    labels = file.read(16 * signals)
    annotations = sum(
        labels[at : at + 16].strip() == ANNOTATIONS for at in range(0, len(labels), 16)
    )
    check_lead_count(signals - annotations, max_leads)


def _check_size(file: Any, signals: int, *, records: int) -> None:
    file.seek(FIXED_HEADER + 216 * signals)  # the samples per record, after 216 bytes a signal
    per_record = sum(_field(file.read(8), int, "samples per record") for _ in range(signals))
    expected = FIXED_HEADER * (signals + 1) + 2 * per_record * records
    if file.size != expected:
        raise FormatError(
            f"The EDF file holds {file.size:,} bytes; its header declares {records} records of "
            f"{per_record} samples, {expected:,} bytes. Is it truncated?"
        )


def _field(raw: bytes, kind: type[int] | type[float], name: str) -> Any:
    try:
        return kind(raw.decode("ascii").strip())
    except ValueError as exc:  # bytes outside ASCII included
        raise FormatError(f"Not an EDF/EDF+ file: its {name} is not a number.") from exc


def _open(path: Path) -> pyedflib.EdfReader:
    try:
        return pyedflib.EdfReader(str(path))
    except OSError as exc:
        reason = str(exc).removeprefix(f"{path}: ")  # never show the server's path
        raise FormatError(f"Not a readable EDF/EDF+ file: {reason}") from exc


def _signal(reader: pyedflib.EdfReader) -> Signal:
    count = reader.signals_in_file
    if count == 0:
        raise FormatError("The EDF file holds no signal.")
    rates = {float(rate) for rate in reader.getSampleFrequencies()}
    lengths = {int(length) for length in reader.getNSamples()}
    if len(rates) != 1 or len(lengths) != 1:
        raise FormatError("All signals of the EDF file must share one sample rate and length.")
    leads = lead_names([reader.getLabel(index) for index in range(count)])
    units = [reader.getPhysicalDimension(index).strip() for index in range(count)]
    gains: list[float] = []
    baselines: list[float] = []
    for index, (lead, unit) in enumerate(zip(leads, units, strict=True)):
        digital_min = float(reader.getDigitalMinimum(index))
        digital_max = float(reader.getDigitalMaximum(index))
        physical_min = float(reader.getPhysicalMinimum(index))
        physical_max = float(reader.getPhysicalMaximum(index))
        if digital_min < INT16.min or digital_max > INT16.max:
            raise FormatError(f"Lead {lead} has more than 16 bits (BDF?): heartmon takes EDF.")
        if physical_max == physical_min or digital_max == digital_min:
            raise FormatError(f"Lead {lead} has no usable calibration (an empty range).")
        gain = (digital_max - digital_min) / (physical_max - physical_min)  # per file unit
        gains.append(gain_per_millivolt(gain, unit, lead))
        baselines.append(digital_min - physical_min * gain)
    (rate,) = rates
    (length,) = lengths
    return Signal(
        sample_rate=check_sample_rate(rate),
        leads=leads,
        units=units,
        gains=gains,
        baselines=baselines,
        sample_count=length,
        blocks=_blocks(reader, count, length),
    )


def _blocks(reader: pyedflib.EdfReader, count: int, length: int) -> Iterator[np.ndarray]:
    rows = block_rows(count)
    for start in range(0, length, rows):
        size = min(rows, length - start)
        columns = [reader.readSignal(index, start, size, digital=True) for index in range(count)]
        yield np.column_stack(columns).astype(np.int16)
