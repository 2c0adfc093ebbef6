"""`alarm` messages: on the organization's feed and the patient's stream, never coalesced; from
the alarm engine's changes, and here also by the publishing call itself (`publish_alarm`)."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.utils import timezone

from heartmon.live.publish import publish_alarm
from heartmon.live.tests.sockets import next_message, nothing_more, run, signed_in, subscribe

pytestmark = pytest.mark.django_db


def series(values: list[float]) -> list[dict]:
    """Heart rates one second apart, the last now."""
    now = timezone.now()
    count = len(values)
    return [
        {
            "metric": "heart_rate",
            "value": value,
            "recorded_at": (now - timedelta(seconds=count - 1 - i)).isoformat(),
        }
        for i, value in enumerate(values)
    ]


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


def test_an_alarm_raised_by_the_engine_reaches_the_feed(
    alice, patient, monitored, as_device, django_capture_on_commit_callbacks
):
    @database_sync_to_async
    def tachycardia() -> None:
        with django_capture_on_commit_callbacks(execute=True):  # as a request's commit does
            response = as_device.post("/api/v1/readings/", series([130] * 8), format="json")
        assert response.status_code == 200

    async def scenario():
        communicator = await signed_in(alice)
        await subscribe(communicator, "alarms")
        await tachycardia()
        message = await next_message(communicator)
        assert (message["type"], message["event"], message["stream"]) == (
            "alarm",
            "raised",
            "alarms",
        )
        assert message["alarm"]["patient"] == str(patient.pk)
        assert message["alarm"]["priority"] == "medium"
        assert await nothing_more(communicator)  # "notified" is not pushed
        await communicator.disconnect()

    run(scenario)
