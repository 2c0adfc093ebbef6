"""`alarm` messages, published here by the call the alarm engine makes (`publish_alarm`): on the
organization's feed and the patient's stream, never coalesced."""

import pytest
from asgiref.sync import sync_to_async

from heartmon.live.publish import publish_alarm
from heartmon.live.tests.sockets import next_message, nothing_more, run, signed_in, subscribe

pytestmark = pytest.mark.django_db

EVENTS = ("raised", "escalated", "acknowledged", "cleared", "closed")


def alarm(patient, number: int = 1) -> dict:
    return {"id": number, "patient": str(patient.pk), "priority": "high", "kind": "hr_high"}


def test_every_alarm_event_reaches_the_organizations_feed(alice, patient, org_a):
    async def scenario():
        communicator = await signed_in(alice)
        await subscribe(communicator, "alarms")
        for event in EVENTS:
            await sync_to_async(publish_alarm)(
                organization_id=org_a.pk, event=event, alarm=alarm(patient), patient_id=patient.pk
            )
        received = [await next_message(communicator) for _ in EVENTS]
        assert [message["event"] for message in received] == list(EVENTS)
        assert [message["seq"] for message in received] == [1, 2, 3, 4, 5]
        assert {message["stream"] for message in received} == {"alarms"}
        assert received[0]["alarm"] == alarm(patient)
        await communicator.disconnect()

    run(scenario)


def test_alarms_of_the_patient_come_on_their_stream_too(bob, patient, org_a):
    async def scenario():
        communicator = await signed_in(bob)
        await subscribe(communicator, f"patient:{patient.pk}")
        for number in range(10):
            await sync_to_async(publish_alarm)(
                organization_id=org_a.pk,
                event="raised",
                alarm=alarm(patient, number),
                patient_id=patient.pk,
            )
        received = [await next_message(communicator) for _ in range(10)]
        assert [message["alarm"]["id"] for message in received] == list(range(10))
        await communicator.disconnect()

    run(scenario)


def test_another_organizations_alarms_do_not_come(charlie, patient, org_a):
    async def scenario():
        communicator = await signed_in(charlie)
        await subscribe(communicator, "alarms")
        await sync_to_async(publish_alarm)(
            organization_id=org_a.pk, event="raised", alarm=alarm(patient), patient_id=patient.pk
        )
        assert await nothing_more(communicator)
        await communicator.disconnect()

    run(scenario)
