"""The signal of a recording as compressed chunks in Django's default storage (a local folder, or
an S3-compatible bucket), never a row per sample.

Layout under `recording.storage_prefix`:
- `chunks/<index>.zst`: samples [index * chunk_samples, (index + 1) * chunk_samples) of every lead,
  lead-major int16, each lead delta-encoded along time, then zstd (codec `delta-zstd-1`). Real ECG
  takes about 0.6-1 byte per sample this way.
- `beats.zst`: R-peak sample indices, delta-encoded int64, zstd.
- `classes.zst`: one uint8 per beat, the index of its class in `classes.CODES` (N, V, Q), zstd.
- `events.json.zst`: the analysis' pauses and per-segment signal quality (see
  `heartmon.ecg.events`), JSON, zstd.
- `original/<name>`: the uploaded file(s), byte for byte.
"""

import json
import os
import uuid
from collections.abc import Iterable, Iterator
from typing import IO, Any

import numpy as np
import zstandard
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage

from heartmon.ecg.models import Recording

CODEC = "delta-zstd-1"
CHUNK_SECONDS = 30
_LEVEL = 3


def chunk_samples_for(sample_rate: float) -> int:
    return max(1, round(sample_rate * CHUNK_SECONDS))


def prefix_for(*, organization_id: object, recording_id: uuid.UUID) -> str:
    return f"ecg/{organization_id}/{recording_id}"


def _chunk_name(prefix: str, index: int) -> str:
    return f"{prefix}/chunks/{index:07d}.zst"


def original_name(prefix: str, name: str) -> str:
    return f"{prefix}/original/{name}"


def _beats_name(prefix: str) -> str:
    return f"{prefix}/beats.zst"


def _classes_name(prefix: str) -> str:
    return f"{prefix}/classes.zst"


def _events_name(prefix: str) -> str:
    return f"{prefix}/events.json.zst"


def _save_exactly(name: str, content: File) -> None:
    """Save under exactly `name`: storages rename rather than overwrite an existing file."""
    if default_storage.exists(name):
        default_storage.delete(name)
    saved = default_storage.save(name, content)
    if saved != name:
        default_storage.delete(saved)
        raise OSError(f"storage wrote {saved!r} instead of {name!r}")


def encode_chunk(samples: np.ndarray) -> bytes:
    """(n, leads) int16 -> compressed bytes."""
    lead_major = np.ascontiguousarray(samples.T, dtype=np.int16)
    deltas = np.diff(lead_major, axis=1, prepend=np.int16(0))  # wraps in int16, undone by cumsum
    return zstandard.ZstdCompressor(level=_LEVEL).compress(deltas.tobytes())


def decode_chunk(
    data: bytes, *, lead_count: int, length: int, leads: list[int] | None = None, upto: int = -1
) -> np.ndarray:
    """Compressed bytes -> (n, len(leads)) int16 of rows [0, upto) (all rows when -1) of `leads`
    (all when None). The leads are stored one after another, so only as much is decompressed as
    the last lead asked for needs (lead II of twelve: a sixth); the deltas are undone only where
    asked."""
    stored = zstandard.frame_content_size(data)
    if stored != 2 * lead_count * length:
        raise OSError(f"ECG chunk holds {stored // 2} values, expected {lead_count * length}")
    needed = lead_count if leads is None else max(leads, default=-1) + 1
    raw = _decompress_start(data, 2 * needed * length)
    rows = np.frombuffer(raw, dtype=np.int16).reshape(needed, length)
    wanted = rows if leads is None else rows[leads]
    return np.cumsum(wanted[:, : length if upto < 0 else upto], axis=1, dtype=np.int16).T


def _decompress_start(data: bytes, size: int) -> bytes:
    """The first `size` bytes a zstd frame holds, decompressing no further."""
    parts = []
    with zstandard.ZstdDecompressor().stream_reader(data) as reader:
        while size > 0 and (part := reader.read(size)):
            parts.append(part)
            size -= len(part)
    if size > 0:
        raise OSError("ECG chunk ends before its stated size")
    return b"".join(parts)


def write_chunks(*, prefix: str, blocks: Iterable[np.ndarray], chunk_samples: int) -> int:
    """Store (n, leads) int16 blocks as chunks of `chunk_samples` rows; returns the sample count.

    Blocks may have any length: rows are carried over until a chunk is full."""
    pending: list[np.ndarray] = []
    pending_rows = 0
    index = 0
    total = 0
    for block in blocks:
        pending.append(block)
        pending_rows += len(block)
        total += len(block)
        while pending_rows >= chunk_samples:
            joined = np.concatenate(pending) if len(pending) > 1 else pending[0]
            write_chunk(prefix=prefix, index=index, samples=joined[:chunk_samples])
            index += 1
            rest = joined[chunk_samples:]
            pending, pending_rows = [rest], len(rest)
    if pending_rows:
        joined = np.concatenate(pending) if len(pending) > 1 else pending[0]
        write_chunk(prefix=prefix, index=index, samples=joined)
    return total


def write_chunk(*, prefix: str, index: int, samples: np.ndarray) -> None:
    """Store (n, leads) int16 as chunk `index`: all chunks hold `chunk_samples` rows but the
    last. A live recording closes its chunks one at a time through here."""
    _save_exactly(_chunk_name(prefix, index), ContentFile(encode_chunk(samples)))


def _chunk_length(recording: Recording, index: int) -> int:
    return min(recording.chunk_samples, recording.sample_count - index * recording.chunk_samples)


def _read_chunk(recording: Recording, index: int, leads: list[int], upto: int) -> np.ndarray:
    with default_storage.open(_chunk_name(recording.storage_prefix, index), "rb") as handle:
        data = handle.read()
    return decode_chunk(
        data,
        lead_count=recording.lead_count,
        length=_chunk_length(recording, index),
        leads=leads,
        upto=upto,
    )


def read_samples(
    recording: Recording, start: int, stop: int, leads: list[int] | None = None
) -> np.ndarray:
    """Samples [start, stop) (clipped to the recording) of `leads` (all when None) as an
    (n, len(leads)) int16 array, reading only the chunks that hold them."""
    start = max(0, start)
    stop = min(stop, recording.sample_count)
    lead_index = list(range(recording.lead_count)) if leads is None else leads
    out = np.empty((max(0, stop - start), len(lead_index)), dtype=np.int16)
    if stop <= start:
        return out
    size = recording.chunk_samples
    for index in range(start // size, (stop - 1) // size + 1):
        first = index * size
        low, high = max(start, first), min(stop, first + size)
        chunk = _read_chunk(recording, index, lead_index, high - first)
        out[low - start : high - start] = chunk[low - first :]
    return out


def iter_samples(recording: Recording, start: int, stop: int) -> Iterator[np.ndarray]:
    """Samples [start, stop) of every lead, one chunk-sized (n, leads) int16 block at a time."""
    size = recording.chunk_samples
    position = max(0, start)
    stop = min(stop, recording.sample_count)
    while position < stop:
        block_end = min(stop, (position // size + 1) * size)
        yield read_samples(recording, position, block_end)
        position = block_end


def physical(
    recording: Recording,
    samples: np.ndarray,
    leads: list[int] | None = None,
    *,
    dtype: type[np.floating[Any]] = np.float64,
) -> np.ndarray:
    """int16 samples of `leads` (all when None) -> millivolts, float64 unless `dtype` says
    otherwise (the analysis reads a day in float32: three times faster, and precise enough)."""
    lead_index = list(range(recording.lead_count)) if leads is None else leads
    gains = np.asarray(recording.gains, dtype=dtype)[lead_index]
    baselines = np.asarray(recording.baselines, dtype=dtype)[lead_index]
    return (samples - baselines) / gains


def write_beats(
    recording: Recording, sample_indices: np.ndarray, classes: np.ndarray | None = None
) -> None:
    """Store the R-peak sample indices (ascending) of the recording and, when given, each
    beat's class index, replacing earlier ones."""
    indices = np.asarray(sample_indices, dtype=np.int64)
    deltas = np.diff(indices, prepend=np.int64(0))
    _save_compressed(_beats_name(recording.storage_prefix), deltas.tobytes())
    if classes is not None:
        codes = np.asarray(classes, dtype=np.uint8)
        _save_compressed(_classes_name(recording.storage_prefix), codes.tobytes())


def read_beats(recording: Recording) -> np.ndarray:
    """R-peak sample indices as int64; empty when none are stored (yet)."""
    raw = _read_compressed(_beats_name(recording.storage_prefix))
    return np.cumsum(np.frombuffer(raw or b"", dtype=np.int64))


def read_beat_classes(recording: Recording) -> np.ndarray | None:
    """Each stored beat's class index (uint8); None when the analysis stored none."""
    raw = _read_compressed(_classes_name(recording.storage_prefix))
    return None if raw is None else np.frombuffer(raw, dtype=np.uint8)


def write_events(recording: Recording, document: dict[str, object]) -> None:
    """Store the analysis' events and segment quality (a JSON document), replacing earlier."""
    _save_compressed(_events_name(recording.storage_prefix), json.dumps(document).encode())


def read_events(recording: Recording) -> dict[str, Any] | None:
    raw = _read_compressed(_events_name(recording.storage_prefix))
    return None if raw is None else dict(json.loads(raw))


def _save_compressed(name: str, data: bytes) -> None:
    _save_exactly(name, ContentFile(zstandard.ZstdCompressor(level=_LEVEL).compress(data)))


def _read_compressed(name: str) -> bytes | None:
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        return zstandard.ZstdDecompressor().decompress(handle.read())


def save_original(*, prefix: str, name: str, content: IO[bytes]) -> str:
    path = original_name(prefix, name)
    _save_exactly(path, File(content, name=name))
    return path


def open_original(recording: Recording, name: str) -> IO[bytes]:
    return default_storage.open(original_name(recording.storage_prefix, name), "rb")


def delete_files(prefix: str) -> None:
    """Remove everything stored under a recording's prefix."""
    folders = [prefix]
    while folders:
        folder = folders.pop()
        try:
            subfolders, files = default_storage.listdir(folder)
        except FileNotFoundError:
            continue
        for name in files:
            default_storage.delete(f"{folder}/{name}")
        folders.extend(f"{folder}/{sub}" for sub in subfolders)
    _remove_empty_local_folders(prefix)


def _remove_empty_local_folders(prefix: str) -> None:
    """FileSystemStorage leaves empty folders behind; S3 has no folders."""
    try:
        root = default_storage.path(prefix)
    except NotImplementedError:
        return
    for folder, _subfolders, _files in sorted(os.walk(root), key=lambda walk: -len(walk[0])):
        try:
            os.rmdir(folder)
        except OSError:
            continue
