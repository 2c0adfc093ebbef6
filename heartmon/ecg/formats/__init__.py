"""Reading uploaded ECG files with the field's own libraries, one module per format.

Every reader turns its upload into a `Signal`: the metadata and an iterator of int16 sample
blocks, so a long recording is never decoded whole. Anything wrong with the file raises
`FormatError` (a 400 problem naming the field at fault)."""

from collections.abc import Iterator
from contextlib import contextmanager

from heartmon.ecg.formats import csv_table, edf, int16, wfdb_record
from heartmon.ecg.formats.base import FormatError, Signal, Upload

__all__ = ["FormatError", "Signal", "Upload", "open_signal"]

_READERS = {
    "wfdb": wfdb_record.open_signal,
    "edf": edf.open_signal,
    "csv": csv_table.open_signal,
    "int16": int16.open_signal,
}


@contextmanager
def open_signal(format_name: str, upload: Upload) -> Iterator[Signal]:
    """The upload read as `format_name`; whatever was opened for it is closed on leaving."""
    with _READERS[format_name](upload) as signal:
        yield signal
