"""Standard files of a window of a recording, read back identically by the field's libraries:

- CSV: the upload format (a header row of lead names, one row per sample, mV), streamed; values
  carry as many decimals as the recording's resolution needs (three for microvolts).
- WFDB: a zip of `<name>.hea` and `<name>.dat` in format 16, the stored int16 values unchanged.
- EDF+: 16-bit, the stored values unchanged; EDF holds whole data records (1 s, or the shortest
  whole number of seconds holding whole samples), so the last record is padded with 0 mV.

Each is produced a chunk at a time into a temporary file or the response, never whole in memory.
"""

import io
import re
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import UTC
from pathlib import Path
from typing import IO

import numpy as np
import pyedflib
import wfdb

from heartmon.core.errors import InvalidInput
from heartmon.ecg import storage
from heartmon.ecg.models import Recording
from heartmon.ecg.windows import Window

EXPORT_FORMATS = ("wfdb", "edf", "csv")
INT16 = np.iinfo(np.int16)
MAX_EDF_RECORD_SECONDS = 60


def export_name(recording: Recording) -> str:
    """A file name from the data_id: letters, digits, - and _ only (what WFDB record names
    allow)."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", recording.data_id)[:64] or "recording"


def _blocks(recording: Recording, window: Window) -> Iterator[np.ndarray]:
    for block in storage.iter_samples(recording, window.first, window.stop):
        yield block[:, window.leads]


def _lead_values(recording: Recording, window: Window, values: list[float]) -> list[float]:
    return [float(values[index]) for index in window.leads]


def csv_decimals(gains: list[float], baselines: list[float]) -> int:
    """The fewest decimals (3 to 6) that write every value (k - baseline) / gain exactly."""
    for decimals in range(3, 7):
        scale = 10**decimals
        if all(
            _whole(scale / gain) and _whole(scale * baseline / gain)
            for gain, baseline in zip(gains, baselines, strict=True)
        ):
            return decimals
    return 6


def _whole(value: float) -> bool:
    return abs(value - round(value)) < 1e-6


def csv_stream(recording: Recording, window: Window) -> Iterator[bytes]:
    gains = _lead_values(recording, window, recording.gains)
    baselines = _lead_values(recording, window, recording.baselines)
    decimals = csv_decimals(gains, baselines)
    yield (",".join(recording.leads[index] for index in window.leads) + "\n").encode()
    for block in _blocks(recording, window):
        text = io.StringIO()
        millivolts = storage.physical(recording, block, window.leads)
        np.savetxt(text, millivolts, fmt=f"%.{decimals}f", delimiter=",")
        yield text.getvalue().encode()


def wfdb_zip(recording: Recording, window: Window) -> IO[bytes]:
    """A temporary file (deleted when closed) holding the zip."""
    name = export_name(recording)
    out = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    lead_count = len(window.leads)
    sums = np.zeros(lead_count, dtype=np.int64)
    first: np.ndarray | None = None
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open(f"{name}.dat", "w", force_zip64=True) as data:
            for block in _blocks(recording, window):
                first = block[0] if first is None else first
                sums += block.sum(axis=0, dtype=np.int64)
                data.write(block.astype("<i2").tobytes())
        with tempfile.TemporaryDirectory(prefix="heartmon-wfdb-") as folder:
            _wfdb_header(recording, window, name, first, sums).wrheader(write_dir=folder)
            archive.write(Path(folder) / f"{name}.hea", f"{name}.hea")
    out.seek(0)
    return out


def _wfdb_header(
    recording: Recording, window: Window, name: str, first: np.ndarray | None, sums: np.ndarray
) -> wfdb.Record:
    start = recording.time_of(window.first).astimezone(UTC)
    lead_count = len(window.leads)
    return wfdb.Record(
        record_name=name,
        n_sig=lead_count,
        fs=recording.sample_rate,
        sig_len=window.length,
        base_time=start.time(),
        base_date=start.date(),
        file_name=[f"{name}.dat"] * lead_count,
        fmt=["16"] * lead_count,
        adc_gain=_lead_values(recording, window, recording.gains),
        # WFDB baselines are whole ADC units; only EDF uploads can bring a fraction.
        baseline=[round(b) for b in _lead_values(recording, window, recording.baselines)],
        units=["mV"] * lead_count,
        sig_name=[recording.leads[index] for index in window.leads],
        adc_res=[16] * lead_count,
        adc_zero=[0] * lead_count,
        init_value=[int(value) for value in (first if first is not None else sums)],
        checksum=[int((total + 32768) % 65536 - 32768) for total in sums],
        block_size=[0] * lead_count,
    )


def edf_record_seconds(sample_rate: float) -> int:
    for seconds in range(1, MAX_EDF_RECORD_SECONDS + 1):
        if abs(sample_rate * seconds - round(sample_rate * seconds)) < 1e-9:
            return seconds
    raise InvalidInput(
        f"EDF cannot hold {sample_rate:g} Hz in whole samples per data record: export WFDB or CSV.",
        field="format",
    )


def _edf_number(value: float) -> float:
    """The value as EDF writes it: at most 8 characters."""
    for decimals in range(6, -1, -1):
        text = f"{value:.{decimals}f}"
        if len(text) <= 8:
            return float(text)
    raise InvalidInput("This recording's calibration does not fit EDF.", field="format")


def edf_file(recording: Recording, window: Window) -> IO[bytes]:
    """An open temporary EDF+ file; its folder is gone already, so closing it deletes it."""
    seconds = edf_record_seconds(recording.sample_rate)
    per_record = round(recording.sample_rate * seconds)
    with tempfile.TemporaryDirectory(prefix="heartmon-edf-") as folder:
        path = Path(folder) / f"{export_name(recording)}.edf"
        writer = pyedflib.EdfWriter(str(path), len(window.leads), pyedflib.FILETYPE_EDFPLUS)
        try:
            writer.setDatarecordDuration(seconds)
            writer.setSignalHeaders(_edf_headers(recording, window))
            writer.setStartdatetime(
                recording.time_of(window.first).astimezone(UTC).replace(tzinfo=None)
            )
            _write_edf_records(writer, recording, window, per_record)
        finally:
            writer.close()
        return path.open("rb")


def _edf_headers(recording: Recording, window: Window) -> list[dict[str, str | int | float | None]]:
    headers: list[dict[str, str | int | float | None]] = []
    for index in window.leads:
        gain, baseline = float(recording.gains[index]), float(recording.baselines[index])
        headers.append(
            {
                "label": recording.leads[index][:16],
                "dimension": "mV",
                "sample_frequency": recording.sample_rate,
                "physical_min": _edf_number((INT16.min - baseline) / gain),
                "physical_max": _edf_number((INT16.max - baseline) / gain),
                "digital_min": int(INT16.min),
                "digital_max": int(INT16.max),
            }
        )
    return headers


def _write_edf_records(
    writer: pyedflib.EdfWriter, recording: Recording, window: Window, per_record: int
) -> None:
    """pyedflib writes whole data records only: carry the rest over, pad the last with 0 mV."""
    zero = np.array([round(recording.baselines[index]) for index in window.leads], dtype=np.int32)
    rest = np.empty((0, len(window.leads)), dtype=np.int32)
    for block in _blocks(recording, window):
        rows = np.concatenate([rest, block.astype(np.int32)])
        whole = len(rows) // per_record * per_record
        if whole:
            _write_columns(writer, rows[:whole])
        rest = rows[whole:]
    if len(rest):
        padding = np.tile(zero, (per_record - len(rest), 1))
        _write_columns(writer, np.concatenate([rest, padding]))


def _write_columns(writer: pyedflib.EdfWriter, rows: np.ndarray) -> None:
    writer.writeSamples([np.ascontiguousarray(column) for column in rows.T], digital=True)
