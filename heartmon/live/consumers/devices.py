"""`/ws/v1/device/`: a device streams ECG frames (binary, `frames`) with its key in the
`Authorization: Device <key>` header. A refused frame is answered with an error (a problem), the
socket stays open; a key revoked or a device retired meanwhile closes it (checked at least every
LIVE_AUTH_CHECK_SECONDS). Text messages: {"type": "ping"} is answered {"type": "pong"}."""

import time
from typing import Any

import orjson
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from heartmon.core.errors import DomainError
from heartmon.live.auth import device_of
from heartmon.live.consumers.protocol import close_code, error_message, read_message
from heartmon.live.streaming import end_stream, receive_frame


class DeviceConsumer(AsyncWebsocketConsumer):
    async def connect(self) -> None:
        await self.accept()
        self.device = None
        try:
            self.device = await database_sync_to_async(device_of)(self.scope)
        except DomainError as exc:
            await self.refuse(exc)
            return
        self.checked = time.monotonic()
        await self.send_json({"type": "welcome", "device": self.device.serial_number})

    async def disconnect(self, code: int) -> None:
        if self.device is not None:
            await database_sync_to_async(end_stream)(self.device.pk)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        message: dict[str, Any] | None = None
        if not await self.key_still_good():
            return
        try:
            if bytes_data is not None:
                await database_sync_to_async(receive_frame)(device=self.device, data=bytes_data)
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
