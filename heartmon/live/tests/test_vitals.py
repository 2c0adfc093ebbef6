"""`vitals`: stored readings reach the patient's watchers as the latest value of each metric,
at most 4 messages a second per patient."""

import time
from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from heartmon.live.tests.sockets import next_message, nothing_more, run, signed_in, subscribe
from heartmon.telemetry.ingest import ReadingRow, store_readings

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(django_capture_on_commit_callbacks):
    """store_readings as a committed batch does it: the receivers run after the commit."""

    @database_sync_to_async
    def store(*rows: ReadingRow) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            store_readings(rows, source="device")

    return store


def test_a_stored_batch_sends_the_latest_value_of_each_metric(bob, monitored, patient, stored):
    now = timezone.now().replace(microsecond=0)

    async def scenario():
        communicator = await signed_in(bob)
        await subscribe(communicator, f"patient:{patient.pk}")
        await stored(
            ReadingRow(monitored.pk, patient.pk, "heart_rate", 71.0, now - timedelta(seconds=1)),
            ReadingRow(monitored.pk, patient.pk, "heart_rate", 72.0, now),
            ReadingRow(monitored.pk, patient.pk, "spo2", 97.0, now),
        )
        vitals = await next_message(communicator)
        assert vitals == {
            "type": "vitals",
            "stream": f"patient:{patient.pk}",
            "seq": 1,
            "patient": str(patient.pk),
            "values": {
                "heart_rate": {"value": 72.0, "at": now.isoformat(), "source": "device"},
                "spo2": {"value": 97.0, "at": now.isoformat(), "source": "device"},
            },
        }
        await communicator.disconnect()

    run(scenario)


def test_readings_of_long_ago_are_stored_but_not_pushed(bob, monitored, patient, stored):
    long_ago = timezone.now() - timedelta(hours=2)

    async def scenario():
        communicator = await signed_in(bob)
        await subscribe(communicator, f"patient:{patient.pk}")
        await stored(ReadingRow(monitored.pk, patient.pk, "heart_rate", 60.0, long_ago))
        assert await nothing_more(communicator)
        await communicator.disconnect()

    run(scenario)


def test_other_patients_vitals_do_not_come(bob, monitored, patient, patient2, stored):
    async def scenario():
        communicator = await signed_in(bob)
        await subscribe(communicator, f"patient:{patient2.pk}")
        await stored(ReadingRow(monitored.pk, patient.pk, "heart_rate", 60.0, timezone.now()))
        assert await nothing_more(communicator)
        await communicator.disconnect()

    run(scenario)


def test_vitals_are_coalesced_to_four_a_second(bob, monitored, patient, stored):
    start = timezone.now() - timedelta(seconds=30)

    async def scenario():
        communicator = await signed_in(bob)
        await subscribe(communicator, f"patient:{patient.pk}")
        began = time.monotonic()
        for second in range(20):  # 20 batches as fast as they come
            at = start + timedelta(seconds=second)
            await stored(ReadingRow(monitored.pk, patient.pk, "heart_rate", 60.0 + second, at))
        received = [await next_message(communicator)]
        while received[-1]["seq"] < 20:
            received.append(await next_message(communicator))
        elapsed = time.monotonic() - began
        assert len(received) <= 1 + elapsed / 0.25
        assert len(received) < 20
        assert received[-1]["values"]["heart_rate"]["value"] == 79.0  # the latest of the 20
        assert await nothing_more(communicator)
        await communicator.disconnect()

    run(scenario)
