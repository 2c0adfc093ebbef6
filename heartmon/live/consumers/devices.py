"""`/ws/v1/device/`: a device streams ECG frames (binary, `frames`) with its key in the
`Authorization: Device <key>` header. A refused frame is answered with an error (a problem), the
socket stays open; a key revoked or a device retired meanwhile closes it (checked at least every
LIVE_AUTH_CHECK_SECONDS). Text messages: {"type": "ping"} is answered {"type": "pong"}."""

import asyncio
import logging
import time
from typing import Any

import orjson
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from heartmon.core.errors import DomainError
from heartmon.live.auth import device_of
from heartmon.live.consumers.protocol import close_code, error_message, read_message
from heartmon.live.publish import frame_event
from heartmon.live.streaming import Accepted, accept_frame, end_stream, record
from heartmon.live.streams import Stream

logger = logging.getLogger(__name__)


class DeviceConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.accept()
        self.device = None
        self.to_record: asyncio.Queue[Accepted] = asyncio.Queue()
        self.recording = asyncio.create_task(self.record_in_order())
        try:
            self.device = await database_sync_to_async(device_of)(self.scope)
        except DomainError as exc:
            await self.refuse(exc)
            return
        self.checked = time.monotonic()
        await self.send_json({"type": "welcome", "device": self.device.serial_number})

    async def disconnect(self, code: int) -> None:
        await self.to_record.join()
        self.recording.cancel()
        if self.device is not None:
            await database_sync_to_async(end_stream, thread_sensitive=False)(self.device.pk)

    async def take_frame(self, data: bytes) -> None:
        """Shown at once from here; recorded by `record_in_order`, which may lag a moment when
        a chunk closes. Both run off Django's one sync thread, so that devices never wait for
        each other."""
        accept = database_sync_to_async(accept_frame, thread_sensitive=False)
        accepted = await accept(device=self.device, data=data)
        for patient_id, view in accepted.views:
            group = Stream.patient(patient_id).group()
            await self.channel_layer.group_send(group, frame_event(patient_id, view))
        self.to_record.put_nowait(accepted)

    async def record_in_order(self) -> None:
        while True:
            accepted = await self.to_record.get()
            try:
                await database_sync_to_async(record, thread_sensitive=False)(accepted)
            except Exception:
                logger.exception("Recording a live ECG frame failed")
            finally:
                self.to_record.task_done()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        message: dict[str, Any] | None = None
        if not await self.key_still_good():
            return
        try:
            if bytes_data is not None:
                await self.take_frame(bytes_data)
            elif (message := read_message(text_data))["type"] == "ping":
                await self.send_json({"type": "pong"})
        except DomainError as exc:
            await self.send_json(error_message(exc, message or {"type": "frame"}))

    async def key_still_good(self) -> bool:
        """The device's key and state as they are now, once a check period has passed; a
        refusal closes the socket."""
        if time.monotonic() - self.checked < settings.LIVE_AUTH_CHECK_SECONDS:
            return True
        try:
            self.device = await database_sync_to_async(device_of)(self.scope)
        except DomainError as exc:
            await self.refuse(exc)
            return False
        self.checked = time.monotonic()
        return True

    async def refuse(self, exc: DomainError) -> None:
        await self.send_json(error_message(exc))
        await self.close(close_code(exc))

    async def send_json(self, message: dict[str, Any]) -> None:
        await self.send(text_data=orjson.dumps(message).decode())
