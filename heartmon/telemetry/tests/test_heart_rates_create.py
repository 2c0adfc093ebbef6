"""POST /api/v1/heart-rates/: a person records a patient's heart rate (on the patient's device
unless named; a duplicate instant is a 409; audited); a device sends its own (a re-send answers the
stored one). bpm 20-300, times from the device, never far in the future."""

import pytest

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.clinic.services.assignments import assign_device
from heartmon.core.testing import assert_problem
from heartmon.devices.models import DeviceKey, DeviceStatus
from heartmon.telemetry.models import Reading, Source
from heartmon.telemetry.tests.seed import NOW, T0

URL = "/api/v1/heart-rates/"


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def body(patient=None, **fields):
    data = {"bpm": 78, "recorded_at": "2026-11-20T10:00:00Z", **fields}
    if patient is not None:
        data["patient"] = str(patient.pk)
    return data


def test_a_nurse_records_a_heart_rate_on_the_patients_device(as_bob, bob, monitored, patient):
    response = as_bob.post(URL, body(patient))

    assert response.status_code == 201, response.content
    reading = Reading.objects.get()
    assert response.json() == {
        "id": reading.pk,
        "patient": str(patient.pk),
        "device": str(monitored.pk),
        "bpm": 78.0,
        "recorded_at": "2026-11-20T10:00:00Z",
        "source": "manual",
    }
    assert (reading.metric, reading.source) == ("heart_rate", Source.MANUAL)
    event = AuditEvent.objects.get(action=AuditAction.READINGS_ENTERED)
    assert (event.actor, event.patient_id, event.details["stored"]) == (bob, patient.pk, 1)


def test_a_named_device_is_used_even_when_the_patient_has_none(as_bob, device, patient):
    response = as_bob.post(URL, body(patient, device=str(device.pk), recorded_at=1795161600))

    assert response.status_code == 201, response.content
    assert Reading.objects.get().device_id == device.pk


def test_a_patient_without_a_device_needs_one_named(as_bob, device, patient):
    problem = assert_problem(as_bob.post(URL, body(patient)), 400, field="device")

    assert "No device" in problem["errors"]["device"][0]
    assert not Reading.objects.exists()


def test_a_patient_with_several_devices_needs_one_named(as_bob, alice, org_a, monitored, patient):
    spare = monitored.__class__.objects.create(
        organization=org_a, serial_number="HM-0002", model="HM-3L", lead_count=3
    )
    assign_device(device=spare, patient=patient, actor=alice.as_actor())

    assert_problem(as_bob.post(URL, body(patient)), 400, field="device")
    assert as_bob.post(URL, body(patient, device=str(spare.pk))).status_code == 201


def test_the_same_instant_twice_is_a_409(as_bob, monitored, patient):
    as_bob.post(URL, body(patient))

    assert_problem(as_bob.post(URL, body(patient, bpm=90)), 409, field="recorded_at")
    assert Reading.objects.get().value == 78.0
    assert AuditEvent.objects.filter(action=AuditAction.READINGS_ENTERED).count() == 1


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"bpm": 19}, "bpm"),
        ({"bpm": 301}, "bpm"),
        ({"bpm": "fast"}, "bpm"),
        ({"bpm": None}, "bpm"),
        ({"recorded_at": "2026-11-20T12:06:00Z"}, "recorded_at"),
        ({"recorded_at": "noon"}, "recorded_at"),
        ({"patient": "someone"}, "patient"),
        ({"patient": None}, "patient"),
        ({"device": "HM-0001"}, "device"),
    ],
)
def test_bad_heart_rates_are_a_400_and_nothing_is_stored(as_bob, monitored, patient, fields, field):
    assert_problem(as_bob.post(URL, {**body(patient), **fields}), 400, field=field)

    assert not Reading.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.READINGS_ENTERED).exists()


def test_a_missing_bpm_is_required(as_bob, monitored, patient):
    data = body(patient)
    del data["bpm"]

    problem = assert_problem(as_bob.post(URL, data), 400, field="bpm")
    assert problem["errors"]["bpm"] == ["This field is required."]


def test_a_body_that_is_not_an_object_is_a_400(as_bob, monitored):
    assert_problem(as_bob.post(URL, [1, 2], format="json"), 400)


def test_the_outsider_cannot_name_another_organizations_patient(as_charlie, monitored, patient):
    assert_problem(as_charlie.post(URL, body(patient)), 400, field="patient")
    assert not Reading.objects.exists()


def test_a_device_of_another_organization_is_unknown(as_bob, patient, org_b_device):
    assert_problem(
        as_bob.post(URL, body(patient, device=str(org_b_device.pk))), 400, field="device"
    )


def test_a_technician_may_not_record_heart_rates(as_tess, monitored, patient):
    assert_problem(as_tess.post(URL, body(patient)), 403)


def test_a_device_sends_its_own_heart_rate_for_its_patient(as_device, monitored, patient):
    response = as_device.post(URL, body())

    assert response.status_code == 201, response.content
    assert response.json()["patient"] == str(patient.pk)
    assert Reading.objects.get().source == Source.DEVICE
    assert not AuditEvent.objects.filter(action=AuditAction.READINGS_ENTERED).exists()


def test_a_device_resending_a_heart_rate_gets_the_stored_one(as_device, monitored):
    first = as_device.post(URL, body()).json()

    response = as_device.post(URL, body(bpm=90))

    assert response.status_code == 200
    assert response.json() == first
    assert Reading.objects.count() == 1


def test_a_device_may_not_send_for_another_device(as_device, device, org_b_device):
    assert_problem(as_device.post(URL, body(device=str(org_b_device.pk))), 400, field="device")


def test_an_inactive_device_may_not_send(as_device, device):
    device.status = DeviceStatus.RETIRED
    device.save()

    assert_problem(as_device.post(URL, body()), 403)


def test_a_revoked_key_is_a_401(as_device, device):
    DeviceKey.objects.update(revoked_at=T0)

    assert_problem(as_device.post(URL, body()), 401)
    assert not Reading.objects.exists()
