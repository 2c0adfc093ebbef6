"""The publish side: after a change commits, give each stream its message. JSON messages get
the stream's next sequence number and are kept for reconnecting clients (`history`); ECG frames
are neither numbered nor kept (their sample index tells a viewer what it missed).

These are sync functions, called in the thread that committed (a WSGI worker, the MQTT ingester,
a Celery task, or Django's sync thread under ASGI)."""

import asyncio
import threading
import uuid
from functools import cache
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

from heartmon.live.history import history
from heartmon.live.streams import ALARMS, Stream

PUBLISH_TIMEOUT_SECONDS = 5
MESSAGE = "live.message"  # the consumers' handler names for these events
FRAME = "live.frame"


def publish(stream: Stream, message: dict[str, Any], *, organization_id: Any = None) -> int:
    """Number, keep and send one JSON message of a stream; returns its sequence number."""
    group = stream.group(organization_id)
    message = {**message, "stream": stream.name}
    seq = history().append(group, message)
    send_to_group(group, {"type": MESSAGE, "message": {**message, "seq": seq}})
    return seq


def send_to_group(group: str, event: dict[str, Any]) -> None:
    """Through Redis, on this process' publishing loop (one connection pool for good, where
    async_to_sync would make a loop and connect anew for each message); the in-memory layer
    lives on the serving loop, which async_to_sync finds from Django's sync threads."""
    layer = get_channel_layer()
    if isinstance(layer, InMemoryChannelLayer):
        async_to_sync(layer.group_send)(group, event)
        return
    future = asyncio.run_coroutine_threadsafe(layer.group_send(group, event), _publishing_loop())
    future.result(PUBLISH_TIMEOUT_SECONDS)


@cache
def _publishing_loop() -> asyncio.AbstractEventLoop:
    loop = asyncio.new_event_loop()
    threading.Thread(target=loop.run_forever, daemon=True, name="live-publisher").start()
    return loop


def publish_vitals(patient_id: uuid.UUID, values: dict[str, dict[str, Any]]) -> int:
    """`values`: the latest of each metric, {"heart_rate": {"value": 72.0, "at": iso}, ...}."""
    message = {"type": "vitals", "patient": str(patient_id), "values": values}
    return publish(Stream.patient(patient_id), message)


def publish_alarm(
    *, organization_id: uuid.UUID, event: str, alarm: dict[str, Any], patient_id: Any = None
) -> None:
    """An alarm raised, escalated, acknowledged, cleared or closed: on the organization's feed
    and on its patient's stream. Never coalesced, never dropped."""
    message = {"type": "alarm", "event": event, "alarm": alarm}
    publish(ALARMS, message, organization_id=organization_id)
    if patient_id is not None:
        publish(Stream.patient(patient_id), message)


def publish_frame(patient_id: uuid.UUID, frame: bytes) -> None:
    send_to_group(Stream.patient(patient_id).group(), frame_event(patient_id, frame))


def frame_event(patient_id: uuid.UUID, frame: bytes) -> dict[str, Any]:
    return {"type": FRAME, "patient": str(patient_id), "frame": frame}
