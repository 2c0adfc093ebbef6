"""POST /api/v1/readings/ by people: each item names a device of their organization; the batch is
audited with its counts and patients, never values; technicians may not enter readings."""

from datetime import timedelta

import pytest

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem
from heartmon.telemetry.models import Reading, Source
from heartmon.telemetry.tests.seed import NOW, T0

URL = "/api/v1/readings/"
NAME_THE_DEVICE = "Name the device that took this reading, or the patient observed."


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def item(device, minute=0, value=70, **extra):
    return {
        "metric": "heart_rate",
        "value": value,
        "recorded_at": (T0 + timedelta(minutes=minute)).isoformat(),
        "device": str(device.pk),
        **extra,
    }


def test_a_nurse_enters_readings_for_a_device(as_bob, monitored, patient):
    response = as_bob.post(URL, [item(monitored), item(monitored, minute=1)])

    assert response.json() == {"stored": 2, "duplicates": 0, "rejected": []}
    assert set(Reading.objects.values_list("patient_id", "source")) == {(patient.pk, Source.MANUAL)}


def test_the_batch_is_audited_with_counts_and_patients_but_no_values(
    as_bob, bob, monitored, patient
):
    as_bob.post(URL, [item(monitored), item(monitored), item(monitored, value=5000)])

    event = AuditEvent.objects.get(action=AuditAction.READINGS_ENTERED)
    assert (event.actor, event.organization_id, event.patient_id) == (
        bob,
        bob.organization_id,
        patient.pk,
    )
    assert event.details == {
        "stored": 1,
        "duplicates": 1,
        "rejected": 1,
        "patient_ids": [str(patient.pk)],
    }


def test_an_item_may_name_a_patient_of_the_devices_organization(as_bob, device, patient):
    as_bob.post(URL, [item(device, patient=str(patient.pk))])

    assert Reading.objects.get().patient_id == patient.pk


def test_items_without_a_device_or_with_another_organizations_are_rejected(
    as_bob, device, org_b_device, org_b_patient
):
    body = [
        {k: v for k, v in item(device).items() if k != "device"},
        item(org_b_device),
        item(device, patient=str(org_b_patient.pk)),
        item(device, customer_id=str(org_b_device.organization_id)),
    ]

    response = as_bob.post(URL, body)

    assert response.status_code == 200
    assert response.json()["rejected"] == [
        {"index": 0, "errors": {"device": [NAME_THE_DEVICE]}},
        {"index": 1, "errors": {"device": ["Unknown device."]}},
        {"index": 2, "errors": {"patient": ["Unknown patient."]}},
        {"index": 3, "errors": {"customer_id": ["This is not the device's organization."]}},
    ]
    assert not Reading.objects.exists()


def test_an_atomic_batch_from_a_person_stores_nothing_and_audits_nothing(
    as_bob, device, org_b_device
):
    response = as_bob.post(f"{URL}?atomic=true", [item(device), item(org_b_device)])

    assert assert_problem(response, 400)["rejected"][0]["index"] == 1
    assert not Reading.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.READINGS_ENTERED).exists()


def test_staff_may_enter_readings(as_sam, device):
    assert as_sam.post(URL, [item(device)]).json()["stored"] == 1


def test_a_technician_may_not_enter_readings(as_tess, device):
    assert_problem(as_tess.post(URL, [item(device)]), 403)
    assert not Reading.objects.exists()


def test_the_outsider_cannot_reach_another_organizations_device(as_charlie, device):
    assert as_charlie.post(URL, [item(device)]).json()["rejected"][0]["errors"] == {
        "device": ["Unknown device."]
    }
    assert not Reading.objects.exists()


def test_a_superuser_enters_readings_for_any_organization(as_root, device):
    assert as_root.post(URL, [item(device)]).json()["stored"] == 1


def test_anonymous_requests_are_a_401(anonymous, device):
    assert_problem(anonymous.post(URL, [item(device)], format="json"), 401)
