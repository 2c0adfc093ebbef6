"""`/ws/v1/live/`: one socket per browser tab. The client signs in (cookie, or a ticket as its
first message), subscribes to streams, and receives their messages through its `Outbox`.

Client to server: {"type": "auth", "ticket"}, {"type": "subscribe", "stream", "resume"?:
{stream: last seq}}, {"type": "unsubscribe", "stream"}, {"type": "ping"} and {"type": "pong"}.
Server to client: welcome, subscribed, unsubscribed, vitals, admission, alarm, reset, dropped,
ping, pong, error (a problem), and binary ECG frames (`frames`)."""

import asyncio
import time
from typing import Any

import orjson
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.conf import settings

from heartmon.core.errors import DomainError, InvalidInput
from heartmon.live.auth import NotAuthenticated, Session, active_user, cookie_session, redeem_ticket
from heartmon.live.consumers.protocol import (
    CLOSE_SILENT,
    close_code,
    error_message,
    read_message,
)
from heartmon.live.consumers.watching import Watching
from heartmon.live.outbox import Outbox


class LiveConsumer(Watching, AsyncWebsocketConsumer):
    async def connect(self) -> None:
        self.session: Session | None = None
        self.started = self.last_heard = time.monotonic()
        self.outbox = Outbox(
            send_text=lambda text: self.send(text_data=text),
            send_bytes=lambda data: self.send(bytes_data=data),
            vitals_interval=settings.LIVE_VITALS_INTERVAL,
            max_frames=settings.LIVE_MAX_WAITING_FRAMES,
            name=self.channel_name,
        )
        self.start_watching()
        await self.accept()
        self.tasks = [asyncio.create_task(self.outbox.run()), asyncio.create_task(self.watch())]
        try:
            session = await database_sync_to_async(cookie_session)(self.scope)
            if session is not None:
                await self.sign_in(session)
        except DomainError as exc:
            await self.refuse(exc)

    async def disconnect(self, code: int) -> None:
        for task in getattr(self, "tasks", []):
            task.cancel()
        await self.leave_all()

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        self.last_heard = time.monotonic()
        message: dict[str, Any] | None = None
        try:
            message = read_message(text_data)
            await self.handle(message)
        except DomainError as exc:
            self.outbox.put(error_message(exc, message))

    async def handle(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "pong":
            return
        if kind == "ping":
            self.outbox.put({"type": "pong"})
        elif kind == "auth":
            await self.authenticate(message)
        elif self.session is None:
            raise NotAuthenticated('Sign in first: {"type": "auth", "ticket": "..."}.')
        elif kind == "subscribe":
            await self.subscribe(message)
        elif kind == "unsubscribe":
            await self.unsubscribe(message)
        else:
            raise InvalidInput(f"Unknown message type {kind!r}.", code="unknown_type")

    async def authenticate(self, message: dict[str, Any]) -> None:
        if self.session is not None:
            raise InvalidInput("This socket is signed in already.", code="already_signed_in")
        try:
            await self.sign_in(await database_sync_to_async(redeem_ticket)(message.get("ticket")))
        except DomainError as exc:
            await self.refuse(exc, message)

    async def sign_in(self, session: Session) -> None:
        user = await database_sync_to_async(active_user)(session)
        if user is None:
            raise NotAuthenticated("This account is not active.")
        self.session, self.actor = session, user.as_actor(ip=self.client_ip(), request_id="")
        self.outbox.put(
            {"type": "welcome", "user": str(user.pk), "until": session.expires_at.isoformat()}
        )

    def client_ip(self) -> str | None:
        client = self.scope.get("client")
        return client[0] if client else None

    async def watch(self) -> None:
        """Pings, the silence limit, the sign-in wait and the periodic account check."""
        heartbeat, idle = settings.LIVE_HEARTBEAT_SECONDS, settings.LIVE_IDLE_SECONDS
        wait, check = settings.LIVE_AUTH_WAIT_SECONDS, settings.LIVE_AUTH_CHECK_SECONDS
        tick = min(heartbeat, idle, wait, check, 10) / 4
        pinged = checked = time.monotonic()
        while True:
            await asyncio.sleep(tick)
            now = time.monotonic()
            if now - self.last_heard > idle:
                await self.close(CLOSE_SILENT)
                return
            if self.session is None and now - self.started > wait:
                await self.refuse(NotAuthenticated(f"No sign-in within {wait} s."))
                return
            if now - pinged >= heartbeat:
                pinged = now
                self.outbox.put({"type": "ping"})
            if self.session is not None and now - checked >= check:
                checked = now
                await self.check_account()

    async def check_account(self) -> None:
        """Closes for an expired token or an inactive account; re-authorizes every stream with
        the account as it is now (its role may have changed)."""
        assert self.session is not None  # noqa: S101 (checked by the caller)
        user = await database_sync_to_async(active_user)(self.session)
        if user is None or self.session.expired:
            await self.refuse(NotAuthenticated("The session ended: sign in again and resume."))
            return
        self.actor = user.as_actor(ip=self.actor.ip, request_id="")
        await self.reauthorize_all()

    async def refuse(self, exc: DomainError, message: dict[str, Any] | None = None) -> None:
        """Say why, then close."""
        await self.send_json(error_message(exc, message))
        await self.close(close_code(exc))

    async def send_json(self, message: dict[str, Any]) -> None:
        await self.send(text_data=orjson.dumps(message).decode())
