"""Read-side answers that are more than a window: beats, exports, the original upload and the
patient-data query across recordings."""

import tempfile
import zipfile
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase

from heartmon.ecg import classes, exports, storage, windows
from heartmon.ecg.events import recording_events
from heartmon.ecg.models import Recording


def beats_answer(
    recording: Recording, start: datetime | None, end: datetime | None
) -> dict[str, Any]:
    beats = storage.read_beats(recording)
    codes = storage.read_beat_classes(recording)
    if codes is None or len(codes) != len(beats):  # analysed before beats had classes
        codes = np.full(len(beats), classes.CODES.index(classes.UNKNOWN), dtype=np.uint8)
    inside = np.ones(len(beats), dtype=bool)
    if start is not None:
        inside &= beats >= windows.sample_at(recording, start)
    if end is not None:
        inside &= beats < windows.sample_at(recording, end)
    beats, codes = beats[inside], codes[inside]
    seconds = beats / recording.sample_rate
    origin = np.datetime64(recording.start_time.astimezone(UTC).replace(tzinfo=None), "us")
    times = origin + np.rint(seconds * 1e6).astype("timedelta64[us]")
    return {
        "recording": recording.pk,
        "status": recording.status,
        "sample_rate": recording.sample_rate,
        "count": len(beats),
        "samples": beats,
        "seconds": seconds,
        "times": [f"{text}Z" for text in np.datetime_as_string(times, unit="ms")],
        "classes": np.asarray(classes.CODES)[codes].tolist(),
    }


def events_answer(
    recording: Recording, start: datetime | None, end: datetime | None
) -> dict[str, Any]:
    """Pauses, asystole and segment quality overlapping [start, end)."""
    found = recording_events(recording)
    low = start or recording.start_time
    high = end or recording.end_time

    def overlaps(begin: datetime, seconds: float) -> bool:
        return begin < high and begin + timedelta(seconds=seconds) > low

    return {
        "recording": recording.pk,
        "status": recording.status,
        "events": [asdict(e) for e in found.events if overlaps(e.start, e.duration_s)],
        "quality": [asdict(q) for q in found.quality if overlaps(q.start, q.duration_s)],
    }


def export_response(
    recording: Recording, window: windows.Window, format_name: str
) -> HttpResponseBase:
    name = exports.export_name(recording)
    if format_name == "csv":
        response = StreamingHttpResponse(
            exports.csv_stream(recording, window), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if format_name == "wfdb":
        return FileResponse(
            exports.wfdb_zip(recording, window),
            as_attachment=True,
            filename=f"{name}.zip",
            content_type="application/zip",
        )
    return FileResponse(
        exports.edf_file(recording, window),
        as_attachment=True,
        filename=f"{name}.edf",
        content_type="application/octet-stream",
    )


def original_response(recording: Recording) -> FileResponse:
    """The upload byte for byte; a WFDB record's two files come zipped together."""
    if not recording.header_name:
        response = FileResponse(
            storage.open_original(recording, recording.original_name),
            as_attachment=True,
            filename=recording.original_name,
            content_type="application/octet-stream",
        )
    else:
        response = FileResponse(
            _zip_originals(recording),
            as_attachment=True,
            filename=f"{exports.export_name(recording)}.zip",
            content_type="application/zip",
        )
    response["X-Checksum-SHA256"] = recording.checksum
    return response


def _zip_originals(recording: Recording) -> Any:
    out = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name in (recording.header_name, recording.original_name):
            with (
                storage.open_original(recording, name) as source,
                archive.open(name, "w", force_zip64=True) as target,
            ):
                while block := source.read(1 << 20):
                    target.write(block)
    out.seek(0)
    return out


def data_answer(recordings: list[Recording], query: dict[str, Any]) -> dict[str, Any]:
    """Every recording clipped to the window, refused as a whole when too large."""
    clipped = [
        (recording, windows.window_of(recording, start=query["start"], end=query["end"]))
        for recording in recordings
    ]
    max_points = query.get("max_points")
    windows.check_size(sum(window.values for _, window in clipped), max_points=max_points)
    return {
        "patient": query["patient"],
        "device": query.get("device"),
        "start": query["start"],
        "end": query["end"],
        "results": [
            {
                "id": recording.pk,
                "data_id": recording.data_id,
                "kind": recording.kind,
                "device": recording.device_id,
                "record_count": window.length,
                **windows.signal_answer(recording, window, max_points=max_points),
            }
            for recording, window in clipped
        ],
    }
