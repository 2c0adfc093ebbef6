"""What one connection still has to send, so that a slow client slows only itself.

The consumer puts messages here as the channel layer hands them over (it never waits on the
client); one writer task sends them in order. Vitals of a stream are coalesced: at most one a
LIVE_VITALS_INTERVAL, the latest value of each metric, and a vitals message still waiting takes
in the newer values. Alarms, admissions and the rest are sent as they are. ECG frames are dropped
when LIVE_MAX_WAITING_FRAMES are already waiting; the client is told how many (`dropped`), and
the log too. Nothing but frames is ever dropped."""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import orjson

logger = logging.getLogger(__name__)

LOG_EVERY_SECONDS = 10.0


class Outbox:
    def __init__(
        self,
        *,
        send_text: Callable[[str], Awaitable[None]],
        send_bytes: Callable[[bytes], Awaitable[None]],
        vitals_interval: float,
        max_frames: int,
        name: str,
    ) -> None:
        self.send_text, self.send_bytes = send_text, send_bytes
        self.vitals_interval, self.max_frames, self.name = vitals_interval, max_frames, name
        self.queue: asyncio.Queue[dict[str, Any] | bytes] = asyncio.Queue()
        self.frames_waiting = 0
        self.dropped = 0
        self._reported = 0
        self._report_waiting = False
        self._logged_at = 0.0
        self._waiting_vitals: dict[str, dict[str, Any]] = {}  # queued, not yet sent
        self._held_vitals: dict[str, dict[str, Any]] = {}  # too soon after the last one
        self._last_vitals: dict[str, float] = {}

    def put(self, message: dict[str, Any]) -> None:
        if message.get("type") == "vitals":
            self._put_vitals(message)
        else:
            self.queue.put_nowait(message)

    def put_frame(self, frame: bytes) -> None:
        if self.frames_waiting >= self.max_frames:
            self.dropped += 1
            return
        self.frames_waiting += 1
        self.queue.put_nowait(frame)

    async def run(self) -> None:
        """The writer: until cancelled."""
        while True:
            item = await self.queue.get()
            if isinstance(item, bytes):
                self.frames_waiting -= 1
                await self.send_bytes(item)
            else:
                self._sending(item)
                await self.send_text(orjson.dumps(item).decode())
            if self.dropped > self._reported and not self._report_waiting:
                self._report_drops()

    def _sending(self, message: dict[str, Any]) -> None:
        if message["type"] == "vitals":
            self._waiting_vitals.pop(message["stream"], None)
        elif message["type"] == "dropped":
            self._report_waiting = False

    def _put_vitals(self, message: dict[str, Any]) -> None:
        stream = message["stream"]
        pending = self._waiting_vitals.get(stream) or self._held_vitals.get(stream)
        if pending is not None:
            merge_vitals(pending, message)
            return
        wait = self._last_vitals.get(stream, -1e9) + self.vitals_interval - time.monotonic()
        if wait <= 0:
            self._queue_vitals(message)
        else:
            self._held_vitals[stream] = dict(message, values=dict(message["values"]))
            asyncio.get_running_loop().call_later(wait, self._release, stream)

    def _release(self, stream: str) -> None:
        message = self._held_vitals.pop(stream, None)
        if message is not None:
            self._queue_vitals(message)

    def _queue_vitals(self, message: dict[str, Any]) -> None:
        message = dict(message, values=dict(message["values"]))
        self._last_vitals[message["stream"]] = time.monotonic()
        self._waiting_vitals[message["stream"]] = message
        self.queue.put_nowait(message)

    def _report_drops(self) -> None:
        newly, self._reported = self.dropped - self._reported, self.dropped
        self._report_waiting = True
        self.queue.put_nowait({"type": "dropped", "ecg_frames": newly, "total": self.dropped})
        now = time.monotonic()
        if now - self._logged_at >= LOG_EVERY_SECONDS:
            self._logged_at = now
            logger.warning(
                "Live connection %s reads too slowly: %d ECG frames dropped so far",
                self.name,
                self.dropped,
            )


def merge_vitals(into: dict[str, Any], newer: dict[str, Any]) -> None:
    """The newer message's metrics replace the older's, its sequence number too."""
    into["values"].update(newer["values"])
    into["seq"] = max(into.get("seq", 0), newer.get("seq", 0))
