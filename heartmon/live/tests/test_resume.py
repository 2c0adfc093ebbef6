"""Resuming after a reconnect: the client names the last sequence number it saw per stream and
gets what followed from the last 60 s, or `reset`."""

import time

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone

from heartmon.live.publish import publish_alarm, publish_vitals
from heartmon.live.tests.sockets import next_message, nothing_more, run, signed_in, subscribe

pytestmark = pytest.mark.django_db


def vitals(patient, value: float) -> None:
    at = timezone.now().isoformat()
    publish_vitals(patient.pk, {"heart_rate": {"value": value, "at": at, "source": "device"}})


def test_a_client_gets_what_it_missed(bob, patient):
    stream = f"patient:{patient.pk}"
    for value in (60.0, 61.0, 62.0):
        vitals(patient, value)

    async def scenario():
        communicator = await signed_in(bob)
        await subscribe(communicator, stream, resume={stream: 1})
        missed = await next_message(communicator)  # vitals replayed are coalesced too
        assert (missed["seq"], missed["values"]["heart_rate"]["value"]) == (3, 62.0)
        await sync_to_async(vitals)(patient, 63.0)
        live = await next_message(communicator)
        assert live["seq"] == 4
        await communicator.disconnect()

    run(scenario)


def test_alarms_missed_are_replayed_in_order(alice, patient, org_a):
    for event in ("raised", "acknowledged", "cleared"):
        publish_alarm(organization_id=org_a.pk, event=event, alarm={"id": 7}, patient_id=patient.pk)

    async def scenario():
        communicator = await signed_in(alice)
        await subscribe(communicator, "alarms", resume={"alarms": 1})
        replayed = [await next_message(communicator) for _ in range(2)]
        assert [(message["seq"], message["event"]) for message in replayed] == [
            (2, "acknowledged"),
            (3, "cleared"),
        ]
        assert await nothing_more(communicator)
        await communicator.disconnect()

    run(scenario)


def test_a_client_up_to_date_gets_nothing_more(bob, patient):
    stream = f"patient:{patient.pk}"
    vitals(patient, 60.0)

    async def scenario():
        communicator = await signed_in(bob)
        await subscribe(communicator, stream, resume={stream: 1})
        assert await nothing_more(communicator)
        await communicator.disconnect()

    run(scenario)


def test_a_client_away_too_long_gets_a_reset(bob, patient, settings):
    settings.LIVE_RESUME_SECONDS = 0.2
    stream = f"patient:{patient.pk}"
    vitals(patient, 60.0)
    vitals(patient, 61.0)

    async def scenario():
        communicator = await signed_in(bob)
        await subscribe(communicator, stream, resume={stream: 0})
        assert await next_message(communicator) == {"type": "reset", "stream": stream}
        await communicator.disconnect()

    time.sleep(0.3)
    run(scenario)


def test_a_sequence_number_the_server_never_gave_gets_a_reset(bob, patient):
    stream = f"patient:{patient.pk}"

    async def scenario():
        communicator = await signed_in(bob)
        await subscribe(communicator, stream, resume={stream: 5})
        assert await next_message(communicator) == {"type": "reset", "stream": stream}
        await communicator.disconnect()

    run(scenario)
