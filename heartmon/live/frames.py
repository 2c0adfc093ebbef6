"""ECG frames, the binary messages of the live ECG, the same both ways: a device sends them (the
patient field zero), a viewer receives them (the patient filled in). Little-endian:

    offset  size  field
    0       4     magic b"HMEG"
    4       16    patient id (UUID bytes; zeros from a device)
    20      8     index of the first sample (uint64; counts from the device's stream start)
    28      8     time of the first sample (int64, microseconds since 1970 UTC, the device's clock)
    36      4     sample rate in Hz (float32)
    40      4     scale: ADC units per mV, every lead (float32)
    44      2     samples per lead, n (uint16)
    46      1     lead count, k (uint8)
    47      1     length L of the lead names (uint8)
    48      L     lead names, ASCII, comma-separated ("I,II,III")
    48+L    2nk   int16 samples, interleaved: sample 0 of every lead, then sample 1, ...
"""

import struct
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from heartmon.core.errors import InvalidInput

MAGIC = b"HMEG"
HEADER = struct.Struct("<4s16sQqffHBB")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
RATES = (50.0, 10_000.0)


@dataclass(frozen=True)
class Frame:
    patient_id: uuid.UUID | None
    first_sample: int
    first_time: datetime
    sample_rate: float
    scale: float
    leads: tuple[str, ...]
    samples: np.ndarray  # (n, k) int16

    @property
    def stop(self) -> int:
        return self.first_sample + len(self.samples)

    def time_of(self, sample: int) -> datetime:
        return self.first_time + timedelta(seconds=(sample - self.first_sample) / self.sample_rate)


def encode(frame: Frame) -> bytes:
    names = ",".join(frame.leads).encode("ascii")
    count, lead_count = frame.samples.shape
    header = HEADER.pack(
        MAGIC,
        frame.patient_id.bytes if frame.patient_id else bytes(16),
        frame.first_sample,
        (frame.first_time - EPOCH) // timedelta(microseconds=1),
        frame.sample_rate,
        frame.scale,
        count,
        lead_count,
        len(names),
    )
    return header + names + np.ascontiguousarray(frame.samples, dtype="<i2").tobytes()


def decode(data: bytes) -> Frame:
    """A frame from its bytes, or a validation error saying what is wrong."""
    if len(data) < HEADER.size or data[:4] != MAGIC:
        raise _bad("The frame does not start with the HMEG header.")
    _magic, patient, first, micros, rate, scale, count, lead_count, length = HEADER.unpack_from(
        data
    )
    names_end = HEADER.size + length
    leads = tuple(data[HEADER.size : names_end].decode("ascii", errors="replace").split(","))
    if len(leads) != lead_count or not all(leads):
        raise _bad(f"The frame names {len(leads)} leads but counts {lead_count}.")
    if not RATES[0] <= rate <= RATES[1] or not scale > 0 or count == 0:
        raise _bad("The sample rate must be 50-10,000 Hz, the scale positive, samples present.")
    if len(data) - names_end != 2 * count * lead_count:
        raise _bad(f"The frame should carry {count} samples of {lead_count} leads.")
    samples = np.frombuffer(data, dtype="<i2", offset=names_end).reshape(count, lead_count)
    return Frame(
        patient_id=uuid.UUID(bytes=patient) if any(patient) else None,
        first_sample=first,
        first_time=EPOCH + timedelta(microseconds=micros),
        sample_rate=float(rate),
        scale=float(scale),
        leads=leads,
        samples=samples,
    )


def _bad(detail: str) -> InvalidInput:
    return InvalidInput(detail, code="bad_frame")
