"""POST /api/v1/devices/{id}/assign/ and /unassign/: one open assignment per device, audited."""

import threading

import pytest
from django.db import connection

from heartmon.accounts.testing import client_for
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.clinic.models import Patient
from heartmon.core.testing import assert_problem
from heartmon.devices.models import DeviceAssignment, DeviceStatus


def assign_url(device) -> str:
    return f"/api/v1/devices/{device.pk}/assign/"


def unassign_url(device) -> str:
    return f"/api/v1/devices/{device.pk}/unassign/"


def test_staff_assign_a_device_to_a_patient(as_sam, sam, device, patient):
    response = as_sam.post(assign_url(device), {"patient": str(patient.pk)})

    assert response.status_code == 201, response.content
    assignment = DeviceAssignment.objects.get()
    assert (assignment.patient, assignment.assigned_by, assignment.ended_at) == (patient, sam, None)
    assert as_sam.get(f"/api/v1/devices/{device.pk}/").json()["patient"] == str(patient.pk)
    event = AuditEvent.objects.get(action=AuditAction.DEVICE_ASSIGNED)
    assert (event.patient_id, event.actor, event.object_id) == (patient.pk, sam, str(device.pk))


def test_a_device_already_assigned_is_a_409(as_alice, device, patient, org_a):
    other = Patient.objects.create(
        organization=org_a, patient_number="P-2", given_name="Bo", family_name="Li"
    )
    as_alice.post(assign_url(device), {"patient": str(patient.pk)})

    assert_problem(as_alice.post(assign_url(device), {"patient": str(other.pk)}), 409)
    assert DeviceAssignment.objects.get().patient == patient


def test_a_device_that_is_not_active_cannot_be_assigned(as_alice, device, patient):
    device.status = DeviceStatus.MAINTENANCE
    device.save()

    assert_problem(as_alice.post(assign_url(device), {"patient": str(patient.pk)}), 409)
    assert not DeviceAssignment.objects.exists()


def test_an_archived_or_foreign_or_missing_patient_is_refused(as_alice, device, patient, org_b):
    foreign = Patient.objects.create(
        organization=org_b, patient_number="R-1", given_name="Cy", family_name="Oh"
    )
    patient.archived_at = patient.created_at
    patient.save()

    for body in ({"patient": str(patient.pk)}, {"patient": str(foreign.pk)}, {}):
        assert_problem(as_alice.post(assign_url(device), body), 400, field="patient")
    assert not DeviceAssignment.objects.exists()


def test_unassign_ends_the_open_assignment(as_alice, alice, device, patient):
    as_alice.post(assign_url(device), {"patient": str(patient.pk)})

    response = as_alice.post(unassign_url(device))

    assert response.status_code == 200
    assignment = DeviceAssignment.objects.get()
    assert assignment.ended_at is not None
    assert assignment.ended_by == alice
    event = AuditEvent.objects.get(action=AuditAction.DEVICE_UNASSIGNED)
    assert event.patient_id == patient.pk
    assert_problem(as_alice.post(unassign_url(device)), 409)


def test_nurses_may_not_assign_and_outsiders_get_404(as_bob, as_charlie, device, patient):
    assert_problem(as_bob.post(assign_url(device), {"patient": str(patient.pk)}), 403)
    assert_problem(as_charlie.post(assign_url(device), {"patient": str(patient.pk)}), 404)
    assert_problem(as_charlie.post(unassign_url(device)), 404)
    assert not DeviceAssignment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_assigns_leave_one_winner(alice, device, patient, org_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serializes writers, so there is no race to test")
    other = Patient.objects.create(
        organization=org_a, patient_number="P-2", given_name="Bo", family_name="Li"
    )
    barrier, statuses = threading.Barrier(2), []

    def assign(target):
        try:
            barrier.wait()
            client = client_for(alice)
            statuses.append(
                client.post(assign_url(device), {"patient": str(target.pk)}).status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=assign, args=(p,)) for p in (patient, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [201, 409]
    assert DeviceAssignment.objects.open().filter(device=device).count() == 1
