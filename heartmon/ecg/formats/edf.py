"""EDF and EDF+ (16-bit) through pyedflib. Every signal is a lead and all share one sample rate
and length; an EDF+ annotation channel is not a signal. The file's start date is not used: the
request states the start time."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from tempfile import TemporaryDirectory

import numpy as np
import pyedflib

from heartmon.ecg.formats.base import (
    FormatError,
    Signal,
    Upload,
    block_rows,
    check_sample_rate,
    gain_per_millivolt,
    lead_names,
    place,
)

INT16 = np.iinfo(np.int16)


@contextmanager
def open_signal(upload: Upload) -> Iterator[Signal]:
    with TemporaryDirectory(prefix="heartmon-edf-") as folder:
        path = Path(folder) / "upload.edf"
        place(upload.file, path)
        reader = _open(path)
        try:
            yield _signal(reader)
        finally:
            reader.close()


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
