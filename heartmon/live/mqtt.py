"""Live ECG over MQTT: `heartmon mqtt-ingest` also takes `heartmon/devices/<serial>/ecg` (QoS 0),
whose payload is the device key, a newline, then one frame (`frames`). The key is checked as for
readings (the device's own, the device active); refusals are published on the device's errors
topic as problems, like the readings'."""

from typing import Any

from heartmon.core.errors import DomainError, problem_body
from heartmon.devices.authentication import KeyRefused, use_key
from heartmon.devices.permissions import IsActiveDevice, KeyMatchesDevice
from heartmon.live.streaming import receive_frame
from heartmon.telemetry import mqtt

TOPIC = "ecg"
QOS = 0


def register() -> None:
    mqtt.DEVICE_TOPICS[TOPIC] = (handle_ecg_message, QOS)


def handle_ecg_message(*, serial: str, payload: bytes | bytearray) -> dict[str, Any] | None:
    key, newline, frame = bytes(payload).partition(b"\n")
    if not newline:
        return problem_body(400, "bad_frame", "Send the device key, a newline, then the frame.")
    try:
        device = use_key(key.decode(errors="replace")).device
    except KeyRefused as exc:
        return problem_body(401, "authentication_failed", str(exc))
    if device.serial_number != serial:
        return problem_body(403, "permission_denied", KeyMatchesDevice.message)
    if not device.is_active:
        return problem_body(403, "permission_denied", IsActiveDevice.message)
    try:
        receive_frame(device=device, data=frame)
    except DomainError as exc:
        return problem_body(exc.status, exc.code, exc.detail, title=exc.title, errors=exc.errors)
    return None
