"""Devices upload with their key: for themselves only, while active; the patient is the one the
device was assigned to when the recording started."""

from datetime import timedelta

import pytest
import time_machine

from heartmon.audit.models import AuditEvent
from heartmon.clinic.models import Patient
from heartmon.clinic.services.assignments import assign_device, end_assignments
from heartmon.core.testing import assert_problem
from heartmon.devices.models import Device, DeviceStatus
from heartmon.ecg.models import Recording
from heartmon.ecg.tests import signals


def test_a_device_uploads_for_its_patient_with_its_key(upload, as_device, device, patient):
    response = upload(client=as_device, device=None)

    assert response.status_code == 201, response.content
    recording = Recording.objects.get()
    assert (recording.device, recording.patient, recording.uploaded_by) == (device, patient, None)
    event = AuditEvent.objects.get(action="ecg.uploaded")
    assert event.actor is None
    assert event.organization_id == device.organization_id
    assert event.patient_id == patient.pk


def test_a_device_may_name_itself(upload, as_device):
    assert upload(client=as_device).status_code == 201


def test_a_device_may_name_its_patient(upload, as_device, patient):
    response = upload(client=as_device, device=None, patient=str(patient.pk))

    assert response.status_code == 201, response.content
    assert Recording.objects.get().patient == patient


def test_a_device_may_not_upload_into_another_patients_chart(upload, as_device, patient2):
    response = upload(client=as_device, device=None, patient=str(patient2.pk))

    problem = assert_problem(response, 400, field="patient")
    assert "not on this patient at start_time" in problem["detail"]
    assert not Recording.objects.exists()


def test_a_device_may_not_upload_for_another_device(upload, as_device, org_a):
    other = Device.objects.create(organization=org_a, serial_number="HM-9", model="M")

    assert_problem(upload(client=as_device, device=other), 403)
    assert not Recording.objects.exists()


def test_an_inactive_device_may_not_upload(upload, as_device, device):
    Device.objects.filter(pk=device.pk).update(status=DeviceStatus.MAINTENANCE)

    assert_problem(upload(client=as_device, device=None), 403)


def test_a_device_key_reads_nothing(as_device, recording):
    assert_problem(as_device.get("/api/v1/ecg/recordings/"), 403)
    assert_problem(as_device.get(f"/api/v1/ecg/recordings/{recording.pk}/samples/"), 403)
    assert_problem(as_device.get("/api/v1/ecg/data/"), 401)


def test_the_patient_is_the_one_assigned_when_the_recording_started(
    upload, as_device, device, patient, org_a, alice
):
    """A recording uploaded after the device moved on belongs to the earlier patient."""
    with time_machine.travel(signals.START - timedelta(hours=1)):
        end_assignments(assignments=device.assignments.all(), actor=alice.as_actor())
        earlier = Patient.objects.create(
            organization=org_a, patient_number="P-0", given_name="Eve", family_name="E"
        )
        assign_device(device=device, patient=earlier, actor=alice.as_actor())
    with time_machine.travel(signals.START + timedelta(hours=1)):
        end_assignments(assignments=device.assignments.all(), actor=alice.as_actor())
        assign_device(device=device, patient=patient, actor=alice.as_actor())

    assert upload(client=as_device, device=None).status_code == 201
    assert Recording.objects.get().patient == earlier


@pytest.mark.parametrize("client_name", ["as_alice", "as_bob", "as_sam", "as_dana"])
def test_clinical_staff_upload(upload, request, client_name):
    assert upload(client=request.getfixturevalue(client_name)).status_code == 201


def test_a_technician_may_not_upload(upload, as_tess):
    assert_problem(upload(client=as_tess), 403)
