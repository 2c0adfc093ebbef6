"""`admission`: admitted, transferred and discharged under a watched place, and on the
patient's stream; watchers of a place follow patients in and out of it."""

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from heartmon.audit.models import AuditEvent
from heartmon.clinic.services.admissions import admit_patient, discharge_patient, transfer_patient
from heartmon.live.access import FOLLOWED
from heartmon.live.tests.sockets import next_message, nothing_more, run, signed_in, subscribe
from heartmon.telemetry.ingest import ReadingRow, store_readings

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs a service as a request would, its on-commit work included."""

    @database_sync_to_async
    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


def test_an_admission_under_a_watched_ward_is_announced_and_followed(
    dana, alice, ward, bed, patient, device, committed
):
    async def scenario():
        communicator = await signed_in(dana)
        await subscribe(communicator, f"place:{ward.pk}")
        admission = await committed(
            admit_patient,
            patient=patient,
            place=bed,
            devices=[device],
            reason="Syncope",
            actor=alice.as_actor(),
        )
        message = await next_message(communicator)
        assert message == {
            "type": "admission",
            "stream": f"place:{ward.pk}",
            "seq": 1,
            "event": "admitted",
            "admission": str(admission.pk),
            "patient": str(patient.pk),
            "place": str(bed.pk),
            "from_place": None,
            "under": [str(bed.pk), str(ward.pk), str(ward.parent_id)],
        }
        row = ReadingRow(device.pk, patient.pk, "heart_rate", 80.0, timezone.now())
        await committed(store_readings, rows=[row], source="device")
        vitals = await next_message(communicator)
        assert vitals["type"] == "vitals"
        assert vitals["stream"] == f"patient:{patient.pk}"
        await communicator.disconnect()

    run(scenario)
    assert AuditEvent.objects.get(action=FOLLOWED).patient_id == patient.pk


def test_a_discharged_patient_is_no_longer_followed(dana, alice, ward, bed, patient, committed):
    async def scenario():
        admission = await committed(
            admit_patient, patient=patient, place=bed, reason="Syncope", actor=alice.as_actor()
        )
        communicator = await signed_in(dana)
        assert (await subscribe(communicator, f"place:{ward.pk}"))["patients"] == [str(patient.pk)]
        await committed(
            discharge_patient, admission=admission, reason="Well", actor=alice.as_actor()
        )
        message = await next_message(communicator)
        assert (message["event"], message["under"]) == ("discharged", [])
        row = ReadingRow(admission.patient_id, patient.pk, "heart_rate", 80.0, timezone.now())
        await committed(store_readings, rows=[row], source="device")
        assert await nothing_more(communicator)
        await communicator.disconnect()

    run(scenario)


def test_a_transfer_is_announced_on_both_places_and_the_patients_stream(
    dana, alice, ward, bed, bed2, patient, committed
):
    async def scenario():
        admission = await committed(
            admit_patient, patient=patient, place=bed, reason="Syncope", actor=alice.as_actor()
        )
        communicator = await signed_in(dana)
        for stream in (f"place:{bed.pk}", f"place:{bed2.pk}", f"patient:{patient.pk}"):
            await subscribe(communicator, stream)
        await committed(
            transfer_patient, admission=admission, place=bed2, reason="", actor=alice.as_actor()
        )
        messages = [await next_message(communicator) for _ in range(3)]
        assert {message["stream"] for message in messages} == {
            f"place:{bed.pk}",
            f"place:{bed2.pk}",
            f"patient:{patient.pk}",
        }
        assert {message["from_place"] for message in messages} == {str(bed.pk)}
        await communicator.disconnect()

    run(scenario)


def test_a_patients_subscription_is_checked_again_when_they_are_discharged(
    bob, alice, bed, patient, committed
):
    async def scenario():
        admission = await committed(
            admit_patient, patient=patient, place=bed, reason="Syncope", actor=alice.as_actor()
        )
        communicator = await signed_in(bob)
        await subscribe(communicator, f"patient:{patient.pk}")
        bob.role = "staff"  # since the sign-in: staff may not watch patient data
        await database_sync_to_async(bob.save)(update_fields=["role"])
        await committed(
            discharge_patient, admission=admission, reason="Well", actor=alice.as_actor()
        )
        assert (await next_message(communicator))["event"] == "discharged"
        ended = await next_message(communicator)
        assert ended["problem"]["status"] == 403
        assert ended["request"] == {"type": "subscribe", "stream": f"patient:{patient.pk}"}
        row = ReadingRow(patient.pk, patient.pk, "heart_rate", 80.0, timezone.now())
        await committed(store_readings, rows=[row], source="device")
        assert await nothing_more(communicator)
        await communicator.disconnect()

    run(scenario)
