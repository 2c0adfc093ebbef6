"""Reading uploaded ECG files with the field's own libraries, one module per format.

Every reader turns its upload into a `Signal`: the metadata and an iterator of int16 sample
blocks, so a long recording is never decoded whole. Anything wrong with the file raises
`FormatError` (a 400 problem naming the field at fault). What would cost time to parse (a header
larger than any real one, more signals than the device has leads, sample counts the file's size
cannot hold) is refused before the parsing, so refusing any upload takes a small constant time."""

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
def open_signal(format_name: str, upload: Upload, *, max_leads: int) -> Iterator[Signal]:
    """The upload read as `format_name`, of at most `max_leads` leads (the device's); whatever was
    opened for it is closed on leaving."""
    with _READERS[format_name](upload, max_leads=max_leads) as signal:
        yield signal
