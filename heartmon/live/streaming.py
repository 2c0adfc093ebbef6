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
    seen: float = field(default_factory=time.monotonic)
    lock: threading.Lock = field(default_factory=threading.Lock)


_streams: dict[uuid.UUID, DeviceStream] = {}
_streams_lock = threading.Lock()


def receive_frame(*, device: Device, data: bytes) -> None:
    """One frame from a device: checked, shown, recorded. InvalidInput for a malformed frame,
    Conflict when the device is assigned to nobody."""
    frame = frames.decode(data)
    if len(frame.leads) > device.lead_count:
        raise InvalidInput(
            f"The frame has {len(frame.leads)} leads; device {device.serial_number} records "
            f"{device.lead_count}.",
            code="bad_frame",
        )
    stream = _stream_for(device, frame, _patient_of(device))
    with stream.lock:
        stream.seen = time.monotonic()
        for view in stream.cutter.cut(frame):
            publish_frame(stream.cutter.patient_id, view)
        stream.recorder.append(frame)
    end_idle_streams()


def _patient_of(device: Device) -> uuid.UUID:
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


def _stream_for(device: Device, frame: Frame, patient_id: uuid.UUID) -> DeviceStream:
    """The device's stream when the frame continues it, else a new one (the old one ended: a
    gap, another patient, other leads or rate, or a full recording)."""
    with _streams_lock:
        stream = _streams.get(device.pk)
        if stream is not None and stream.recorder.continues(frame, patient_id):
            return stream
        fresh = DeviceStream(
            LiveRecorder(device=device, patient_id=patient_id, first=frame),
            Cutter(patient_id, frame),
        )
        _streams[device.pk] = fresh
    if stream is not None:
        _end(stream)
    return fresh


def end_stream(device_id: uuid.UUID) -> None:
    with _streams_lock:
        stream = _streams.pop(device_id, None)
    if stream is not None:
        _end(stream)


def end_idle_streams(idle: float = STREAM_IDLE_SECONDS) -> None:
    quiet_since = time.monotonic() - idle
    with _streams_lock:
        quiet = [device for device, stream in _streams.items() if stream.seen < quiet_since]
    for device_id in quiet:
        end_stream(device_id)


def end_all_streams() -> None:
    end_idle_streams(idle=-1)


def _end(stream: DeviceStream) -> None:
    with stream.lock:
        for view in stream.cutter.rest():
            publish_frame(stream.cutter.patient_id, view)
        stream.recorder.close()
