"""Clients of the live sockets in tests: Channels' communicator against the real ASGI app."""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from asgiref.sync import async_to_sync
from channels.testing.websocket import WebsocketCommunicator
from rest_framework_simplejwt.tokens import AccessToken

from heartmon.accounts.models import User
from heartmon.live.routing import websockets as application

ORIGIN = "http://testserver"


# The sockets the running scenario opened, hung up when it ends.
_opened: list[WebsocketCommunicator] = []


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    """Run an async scenario from a sync test (the consumer's database calls then run in the
    test's thread, inside its transaction), then hang up the sockets it left open.

    Hanging up lets each consumer finish before the event loop closes: the loop's shutdown
    cancels every task at once, the Redis client's own among them, and a channel layer receive
    cancelled that way can wait for ever (about one run in five on PostgreSQL and Redis)."""

    async def scenario_then_hang_up() -> None:
        try:
            await scenario()
        finally:
            while _opened:
                communicator = _opened.pop()
                if not communicator.future.done():
                    await communicator.disconnect()

    async_to_sync(scenario_then_hang_up)()


def cookie_of(user: User) -> str:
    return f"heartmon_access={AccessToken.for_user(user)}"


def socket(
    path: str = "/ws/v1/live/",
    *,
    headers: Sequence[tuple[str, str]] = (),
    client: type[WebsocketCommunicator] = WebsocketCommunicator,
) -> WebsocketCommunicator:
    """A communicator (or a subclass, `client`) for the path, as from the server's own host."""
    pairs = [("host", "testserver"), *headers]
    encoded = [(name.encode(), value.encode()) for name, value in pairs]
    communicator = client(application, path, headers=encoded)
    _opened.append(communicator)
    return communicator


async def signed_in(user: User, **kwargs: Any) -> WebsocketCommunicator:
    """A live socket signed in with the user's cookie, its welcome read."""
    communicator = socket(headers=[("cookie", cookie_of(user)), ("origin", ORIGIN)], **kwargs)
    connected, _ = await communicator.connect()
    assert connected
    assert (await next_message(communicator))["type"] == "welcome"
    return communicator


async def next_message(communicator: WebsocketCommunicator, timeout: float = 2) -> dict[str, Any]:
    """The next JSON message that is not a ping."""
    while True:
        message: dict[str, Any] = await communicator.receive_json_from(timeout)
        if message["type"] != "ping":
            return message


async def subscribe(communicator: WebsocketCommunicator, stream: str, **extra: Any) -> dict:
    await communicator.send_json_to({"type": "subscribe", "stream": stream, **extra})
    return await next_message(communicator)


async def nothing_more(communicator: WebsocketCommunicator, wait: float = 0.3) -> bool:
    await asyncio.sleep(wait)
    return await communicator.receive_nothing(0.05)
