"""CSV: a header row naming the leads, then one row per sample of values in millivolts.

Values are stored as int16 microvolts (gain 1000 per mV), so ±32.767 mV is the range and a
microvolt the resolution; exporting writes the same values back with three decimals."""

import io
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from typing import Any

import numpy as np

from heartmon.ecg.formats.base import (
    FormatError,
    Signal,
    Upload,
    block_rows,
    check_lead_count,
    lead_names,
)

GAIN = 1000.0  # ADC units (microvolts) per mV
LIMIT = np.iinfo(np.int16).max
# Twelve lead names of 32 characters fit in a tenth of this; a longer header row is read no
# further (reading it whole would hold a worker for as long as the file is large).
MAX_HEADER_CHARS = 4096


@contextmanager
def open_signal(upload: Upload, *, max_leads: int) -> Iterator[Signal]:
    if not upload.sample_rate:
        raise FormatError("CSV files need sample_rate.", field="sample_rate")
    upload.file.seek(0)
    text = io.TextIOWrapper(upload.file.file, encoding="utf-8-sig", newline="")
    try:
        leads = _header(text, max_leads)
        yield Signal(
            sample_rate=upload.sample_rate,
            leads=leads,
            units=["mV"] * len(leads),
            gains=[GAIN] * len(leads),
            baselines=[0.0] * len(leads),
            sample_count=None,
            blocks=_blocks(text, len(leads)),
        )
    finally:
        text.detach()  # the upload closes its own file


def _header(text: io.TextIOWrapper, max_leads: int) -> list[str]:
    try:
        row = text.readline(MAX_HEADER_CHARS + 1)
    except UnicodeDecodeError as exc:
        raise FormatError("This is not a CSV text file (not UTF-8).") from exc
    if len(row) > MAX_HEADER_CHARS:
        raise FormatError(
            f"The first row is longer than {MAX_HEADER_CHARS:,} characters: it must name the "
            "leads (e.g. MLII,V5)."
        )
    names = row.strip().split(",")
    if _is_number(names[0]):
        raise FormatError("The first row must name the leads (e.g. MLII,V5).")
    check_lead_count(len(names), max_leads)
    return lead_names(names)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _blocks(text: io.TextIOWrapper, lead_count: int) -> Iterator[np.ndarray]:
    rows = block_rows(lead_count)
    first_row = 2  # line numbers as an editor shows them, after the header
    while lines := _next_lines(text, rows):
        values = _parse(lines, lead_count, first_row)
        if not np.isfinite(values).all():
            raise FormatError(f"Rows {first_row}-{first_row + len(lines) - 1} hold NaN or inf.")
        scaled = np.rint(values * GAIN)
        if np.abs(scaled).max(initial=0) > LIMIT:
            raise FormatError(
                f"Rows {first_row}-{first_row + len(lines) - 1} exceed ±32.767 mV: "
                "values are millivolts."
            )
        first_row += len(lines)
        yield scaled.astype(np.int16)


def _next_lines(text: io.TextIOWrapper, count: int) -> list[str]:
    try:
        return list(islice(text, count))
    except UnicodeDecodeError as exc:
        raise FormatError("This is not a CSV text file (not UTF-8).") from exc


def _parse(lines: list[str], lead_count: int, first_row: int) -> Any:
    try:
        values = np.loadtxt(lines, delimiter=",", dtype=np.float64, ndmin=2)
    except ValueError as exc:
        reason = str(exc).split(";")[0]  # numpy's advice about `usecols` does not apply here
        raise FormatError(f"CSV rows {first_row}-{first_row + len(lines) - 1}: {reason}.") from exc
    if values.size and values.shape[1] != lead_count:
        raise FormatError(
            f"CSV rows from line {first_row} have {values.shape[1]} values, "
            f"the header names {lead_count} leads."
        )
    return values.reshape(-1, lead_count)
