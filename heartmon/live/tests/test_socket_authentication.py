"""Signing in on /ws/v1/live/: the session cookie from an allowed origin, or a one-time ticket
as the first message; refusals say why in the problem shape, then close."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from heartmon.live.consumers.protocol import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED
from heartmon.live.tests.sockets import (
    ORIGIN,
    cookie_of,
    next_message,
    run,
    signed_in,
    socket,
)

pytestmark = pytest.mark.django_db


def ticket_for(client) -> str:
    return client.post("/api/v1/live/ticket/").json()["ticket"]


async def closed_with(communicator, code: int) -> bool:
    output = await communicator.receive_output(2)
    return output == {"type": "websocket.close", "code": code}


def test_the_cookie_signs_in_from_the_servers_own_origin(bob):
    async def scenario():
        communicator = await signed_in(bob)
        await communicator.disconnect()

    run(scenario)


def test_the_cookie_from_a_foreign_origin_is_refused(bob):
    async def scenario():
        headers = [("cookie", cookie_of(bob)), ("origin", "https://evil.example")]
        communicator = socket(headers=headers)
        await communicator.connect()
        error = await next_message(communicator)
        assert error["type"] == "error"
        assert error["problem"]["status"] == 403
        assert error["problem"]["type"] == "urn:heartmon:problem:permission-denied"
        assert await closed_with(communicator, CLOSE_FORBIDDEN)

    run(scenario)


def test_the_cookie_without_an_origin_is_refused(bob):
    async def scenario():
        communicator = socket(headers=[("cookie", cookie_of(bob))])
        await communicator.connect()
        assert (await next_message(communicator))["problem"]["status"] == 403
        assert await closed_with(communicator, CLOSE_FORBIDDEN)

    run(scenario)


def test_an_expired_cookie_token_is_refused(bob):
    cookie = cookie_of(bob)

    async def scenario():
        communicator = socket(headers=[("cookie", cookie), ("origin", ORIGIN)])
        await communicator.connect()
        assert (await next_message(communicator))["problem"]["status"] == 401
        assert await closed_with(communicator, CLOSE_UNAUTHENTICATED)

    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        run(scenario)


def test_a_ticket_signs_in_once(as_bob, bob):
    ticket = ticket_for(as_bob)

    async def scenario():
        first = socket()
        await first.connect()
        await first.send_json_to({"type": "auth", "ticket": ticket})
        welcome = await next_message(first)
        assert welcome["type"] == "welcome"
        assert welcome["user"] == str(bob.pk)
        second = socket()
        await second.connect()
        await second.send_json_to({"type": "auth", "ticket": ticket})
        refusal = await next_message(second)
        assert refusal["problem"]["status"] == 401
        assert refusal["request"] == {"type": "auth"}
        assert await closed_with(second, CLOSE_UNAUTHENTICATED)
        await first.disconnect()

    run(scenario)


def test_a_ticket_expires_after_30_seconds(as_bob):
    ticket = ticket_for(as_bob)

    async def scenario():
        communicator = socket()
        await communicator.connect()
        await communicator.send_json_to({"type": "auth", "ticket": ticket})
        assert (await next_message(communicator))["problem"]["status"] == 401

    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        run(scenario)


def test_nothing_but_signing_in_is_answered_before_it(patient):
    async def scenario():
        communicator = socket()
        await communicator.connect()
        await communicator.send_json_to({"type": "subscribe", "stream": f"patient:{patient.pk}"})
        refusal = await next_message(communicator)
        assert refusal["problem"]["status"] == 401
        assert refusal["request"]["stream"] == f"patient:{patient.pk}"
        await communicator.disconnect()

    run(scenario)


def test_a_socket_that_never_signs_in_is_closed(settings):
    settings.LIVE_AUTH_WAIT_SECONDS = 0.2

    async def scenario():
        communicator = socket()
        await communicator.connect()
        assert (await next_message(communicator))["problem"]["status"] == 401
        assert await closed_with(communicator, CLOSE_UNAUTHENTICATED)

    run(scenario)


def test_a_user_deactivated_while_connected_is_disconnected(settings, bob):
    settings.LIVE_AUTH_CHECK_SECONDS = 0.2

    async def scenario():
        communicator = await signed_in(bob)
        await deactivate(bob)
        ended = await next_message(communicator)
        assert ended["problem"]["status"] == 401
        assert await closed_with(communicator, CLOSE_UNAUTHENTICATED)

    run(scenario)


async def deactivate(user) -> None:
    from channels.db import database_sync_to_async

    user.is_active = False
    await database_sync_to_async(user.save)(update_fields=["is_active"])


def test_a_token_that_expires_while_connected_disconnects(settings, bob):
    settings.LIVE_AUTH_CHECK_SECONDS = 0.2

    async def scenario():
        communicator = await signed_in(bob)
        with time_machine.travel(timezone.now() + timedelta(minutes=6)):
            ended = await next_message(communicator)
        assert "sign in again" in ended["problem"]["detail"]
        assert await closed_with(communicator, CLOSE_UNAUTHENTICATED)

    run(scenario)


def test_malformed_messages_are_answered_with_a_problem(bob):
    async def scenario():
        communicator = await signed_in(bob)
        await communicator.send_to(text_data="not json")
        error = await next_message(communicator)
        assert error["problem"]["status"] == 400
        await communicator.send_json_to({"type": "dance"})
        assert (await next_message(communicator))["problem"]["detail"].startswith("Unknown")
        await communicator.disconnect()

    run(scenario)
