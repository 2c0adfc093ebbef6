"""Sequence numbers and the last minute of each stream, for clients that reconnect.

Every JSON message of a stream gets the next number of that stream; the message is kept for
LIVE_RESUME_SECONDS. A client that comes back with the last number it saw receives what followed,
or, when some of that is gone (too old, or the server forgot the stream), `None`: it must reload
by REST (the consumer answers `reset`). Kept in Redis when REDIS_URL is set, shared by every
process that publishes or serves; in this process' memory otherwise (the one-process default).
"""

import threading
import time
from collections import deque
from functools import cache
from typing import Any, Protocol

import orjson
import redis
from django.conf import settings

COUNTER_DAYS = 1  # a stream quiet this long starts again from 1 (clients then get a reset)


class History(Protocol):
    def append(self, key: str, message: dict[str, Any]) -> int:
        """Keep the message under the next number of `key`; returns the number."""

    def since(self, key: str, last_seq: int) -> list[dict[str, Any]] | None:
        """The messages after `last_seq`, each with its `seq`; None when some are gone."""


def missed(
    current: int, entries: list[tuple[int, bytes]], last_seq: int
) -> list[dict[str, Any]] | None:
    """What followed `last_seq`, from the retained (seq, message) entries in order, or None when
    something after it is no longer retained."""
    oldest = entries[0][0] if entries else current + 1
    if last_seq > current or oldest > last_seq + 1:
        return None
    return [orjson.loads(message) | {"seq": seq} for seq, message in entries if seq > last_seq]


def kept_milliseconds() -> int:
    return int(settings.LIVE_RESUME_SECONDS * 1000)


class MemoryHistory:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counters: dict[str, int] = {}
        self._entries: dict[str, deque[tuple[float, int, bytes]]] = {}

    def append(self, key: str, message: dict[str, Any]) -> int:
        with self._lock:
            seq = self._counters[key] = self._counters.get(key, 0) + 1
            entries = self._entries.setdefault(key, deque())
            entries.append((time.monotonic(), seq, orjson.dumps(message)))
            self._trim(entries)
        return seq

    def since(self, key: str, last_seq: int) -> list[dict[str, Any]] | None:
        with self._lock:
            entries = self._entries.get(key, deque())
            self._trim(entries)
            kept = [(seq, message) for _, seq, message in entries]
            return missed(self._counters.get(key, 0), kept, last_seq)

    def _trim(self, entries: deque[tuple[float, int, bytes]]) -> None:
        oldest = time.monotonic() - kept_milliseconds() / 1000
        while entries and entries[0][0] < oldest:
            entries.popleft()


# Both scripts run atomically in Redis, with its clock: number and keep; or trim and read.
APPEND = """
local seq = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
local now = redis.call('TIME')
local oldest = now[1] * 1000 + math.floor(now[2] / 1000) - ARGV[2]
redis.call('XADD', KEYS[2], 'MINID', oldest, '*', 's', seq, 'm', ARGV[1])
redis.call('PEXPIRE', KEYS[2], ARGV[2] * 2)
return seq
"""
SINCE = """
local now = redis.call('TIME')
redis.call('XTRIM', KEYS[2], 'MINID', now[1] * 1000 + math.floor(now[2] / 1000) - ARGV[1])
return {redis.call('GET', KEYS[1]) or 0, redis.call('XRANGE', KEYS[2], '-', '+')}
"""


class RedisHistory:
    def __init__(self, url: str) -> None:
        self.client = redis.Redis.from_url(url)
        self._append = self.client.register_script(APPEND)
        self._since = self.client.register_script(SINCE)

    def append(self, key: str, message: dict[str, Any]) -> int:
        ttl = COUNTER_DAYS * 86400
        arguments: list[bytes | int] = [orjson.dumps(message), kept_milliseconds(), ttl]
        return int(self._append(_keys(key), arguments))

    def since(self, key: str, last_seq: int) -> list[dict[str, Any]] | None:
        current, rows = self._since(_keys(key), [kept_milliseconds()])
        entries = [(int(fields[1]), fields[3]) for _id, fields in rows]
        return missed(int(current), entries, last_seq)


def _keys(key: str) -> list[str]:
    return [f"heartmon:live:seq:{key}", f"heartmon:live:history:{key}"]


@cache
def history() -> History:
    return RedisHistory(settings.REDIS_URL) if settings.REDIS_URL else MemoryHistory()
