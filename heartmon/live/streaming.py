"""Devices streaming ECG live, over MQTT (`heartmon/devices/<serial>/ecg`) or the device socket
(`/ws/v1/device/`): each frame goes to the patient's watchers, cut into frames of 250 ms, and into
the device's live recording (`recorder`). A device streams only while assigned to a patient.

The state of each stream is this process' (one MQTT ingester, or the socket's ASGI process): a
stream silent for STREAM_IDLE_SECONDS is ended, as is a socket's when it closes."""

import threading
import time
import uuid
from dataclasses import dataclass, field

import numpy as np

from heartmon.core.errors import Conflict, InvalidInput
from heartmon.devices.models import Device, DeviceAssignment
from heartmon.live import frames
from heartmon.live.frames import Frame
from heartmon.live.publish import publish_frame
from heartmon.live.recorder import LiveRecorder

VIEW_SECONDS = 0.25
STREAM_IDLE_SECONDS = 10.0
PATIENT_CHECK_SECONDS = 5.0


class Cutter:
    """Cuts a contiguous stream into viewer frames of VIEW_SECONDS, the patient's id in them."""

    def __init__(self, patient_id: uuid.UUID, first: Frame) -> None:
        self.patient_id, self.base = patient_id, first
        self.size = max(1, round(first.sample_rate * VIEW_SECONDS))
        self.next = first.first_sample
        self.pending = np.zeros((0, len(first.leads)), dtype=np.int16)

    def cut(self, frame: Frame) -> list[bytes]:
        self.pending = np.concatenate([self.pending, frame.samples])
        cut = []
        while len(self.pending) >= self.size:
            cut.append(self._frame(self.pending[: self.size]))
            self.pending = self.pending[self.size :]
        return cut

    def rest(self) -> list[bytes]:
        return [self._frame(self.pending)] if len(self.pending) else []

    def _frame(self, samples: np.ndarray) -> bytes:
        base = self.base
        frame = Frame(
            self.patient_id,
            self.next,
            base.time_of(self.next),
            base.sample_rate,
            base.scale,
            base.leads,
            samples,
        )
        self.next += len(samples)
        return frames.encode(frame)


@dataclass
class DeviceStream:
    recorder: LiveRecorder
    cutter: Cutter
    next_sample: int  # of the frame that continues the stream
    seen: float = field(default_factory=time.monotonic)
    cutting: threading.Lock = field(default_factory=threading.Lock)
    recording: threading.Lock = field(default_factory=threading.Lock)


@dataclass(frozen=True)
class Accepted:
    """A frame taken from a device: the frames to show now, and what to record after."""

    stream: DeviceStream
    frame: Frame
    views: list[tuple[uuid.UUID, bytes]]  # (patient, viewer frame)
    ends: DeviceStream | None  # the stream this frame does not continue, to close first


_streams: dict[uuid.UUID, DeviceStream] = {}
_streams_lock = threading.Lock()
_patients: dict[uuid.UUID, tuple[uuid.UUID, float]] = {}  # device -> (patient, when looked up)


def receive_frame(*, device: Device, data: bytes) -> None:
    """One frame from a device, shown and recorded in this thread (the MQTT ingester)."""
    accepted = accept_frame(device=device, data=data)
    for patient_id, view in accepted.views:
        publish_frame(patient_id, view)
    record(accepted)


def accept_frame(*, device: Device, data: bytes) -> Accepted:
    """Check a frame and cut what it completes into viewer frames; fast (the database is asked
    for the patient every PATIENT_CHECK_SECONDS). InvalidInput for a malformed frame, Conflict
    when the device is assigned to nobody."""
    frame = frames.decode(data)
    if len(frame.leads) > device.lead_count:
        raise InvalidInput(
            f"The frame has {len(frame.leads)} leads; device {device.serial_number} records "
            f"{device.lead_count}.",
            code="bad_frame",
        )
    stream, ended = _stream_for(device, frame, _patient_of(device))
    views = _rest_of(ended) if ended is not None else []
    with stream.cutting:
        stream.seen, stream.next_sample = time.monotonic(), frame.stop
        views += [(stream.cutter.patient_id, view) for view in stream.cutter.cut(frame)]
    return Accepted(stream, frame, views, ended)


def record(accepted: Accepted) -> None:
    """Append an accepted frame to its recording (closing a chunk now and then: storage, beat
    detection, readings), in the order the frames were accepted."""
    if accepted.ends is not None:
        _close(accepted.ends)
    with accepted.stream.recording:
        accepted.stream.recorder.append(accepted.frame)
    end_idle_streams()


def _patient_of(device: Device) -> uuid.UUID:
    """The device's patient, looked up again once PATIENT_CHECK_SECONDS have passed (a frame
    every 250 ms need not ask the database each time)."""
    known = _patients.get(device.pk)
    if known is not None and time.monotonic() - known[1] < PATIENT_CHECK_SECONDS:
        return known[0]
    patient_id = _assigned_patient(device)
    _patients[device.pk] = (patient_id, time.monotonic())
    return patient_id


def _assigned_patient(device: Device) -> uuid.UUID:
    patient_id = (
        DeviceAssignment.objects.open()
        .filter(device=device)
        .values_list("patient_id", flat=True)
        .first()
    )
    if patient_id is None:
        raise Conflict(
            f"Device {device.serial_number} is assigned to no patient: nothing to stream to.",
            code="device_not_assigned",
        )
    return patient_id


def _stream_for(
    device: Device, frame: Frame, patient_id: uuid.UUID
) -> tuple[DeviceStream, DeviceStream | None]:
    """The device's stream when the frame continues it, else a new one and the one it ends (a
    gap, another patient, other leads or rate, or a full recording)."""
    with _streams_lock:
        stream = _streams.get(device.pk)
        if (
            stream is not None
            and frame.first_sample == stream.next_sample
            and stream.recorder.matches(frame, patient_id)
        ):
            return stream, None
        fresh = DeviceStream(
            LiveRecorder(device=device, patient_id=patient_id, first=frame),
            Cutter(patient_id, frame),
            next_sample=frame.first_sample,
        )
        _streams[device.pk] = fresh
    return fresh, stream


def end_stream(device_id: uuid.UUID) -> None:
    with _streams_lock:
        stream = _streams.pop(device_id, None)
        _patients.pop(device_id, None)
    if stream is not None:
        _end(stream)


def end_idle_streams(idle: float = STREAM_IDLE_SECONDS) -> None:
    quiet_since = time.monotonic() - idle
    with _streams_lock:
        quiet = [device for device, stream in _streams.items() if stream.seen < quiet_since]
    for device_id in quiet:
        end_stream(device_id)


def _end(stream: DeviceStream) -> None:
    for patient_id, view in _rest_of(stream):
        publish_frame(patient_id, view)
    _close(stream)


def _rest_of(stream: DeviceStream) -> list[tuple[uuid.UUID, bytes]]:
    with stream.cutting:
        return [(stream.cutter.patient_id, view) for view in stream.cutter.rest()]


def _close(stream: DeviceStream) -> None:
    with stream.recording:
        stream.recorder.close()
