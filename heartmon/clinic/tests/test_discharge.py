"""POST /api/v1/admissions/{id}/discharge/: closes the admission, frees its bed and devices."""

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.clinic.models import Admission
from heartmon.clinic.tests.admitting import admit
from heartmon.core.testing import assert_problem
from heartmon.devices.models import DeviceAssignment


def url(admission_id: str) -> str:
    return f"/api/v1/admissions/{admission_id}/discharge/"


def test_staff_discharge_and_the_bed_and_device_are_free_again(
    as_sam, sam, patient, patient2, bed, device
):
    admission_id = admit(as_sam, patient, bed, [device]).json()["id"]

    response = as_sam.post(url(admission_id), {"reason": "Recovered"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["is_open"] is False
    assert body["discharge_reason"] == "Recovered"
    assert body["devices"][0]["ended_at"] is not None
    admission = Admission.objects.get(pk=admission_id)
    assert (admission.discharged_by, admission.is_open) == (sam, False)
    assert DeviceAssignment.objects.get().ended_at is not None
    assert admit(as_sam, patient2, bed, [device]).status_code == 201
    event = AuditEvent.objects.get(action=AuditAction.ADMISSION_DISCHARGED)
    assert (event.patient_id, event.details["devices_freed"]) == (patient.pk, 1)


def test_a_discharged_patient_may_be_admitted_again(as_sam, patient, bed):
    first = admit(as_sam, patient, bed).json()["id"]
    as_sam.post(url(first), {})

    assert admit(as_sam, patient, bed).status_code == 201


def test_discharging_twice_is_a_conflict(as_sam, patient, bed):
    admission_id = admit(as_sam, patient, bed).json()["id"]
    as_sam.post(url(admission_id), {"reason": "Home"})

    assert_problem(as_sam.post(url(admission_id), {"reason": "Again"}), 409)
    assert Admission.objects.get().discharge_reason == "Home"


def test_an_overlong_reason_is_refused_and_the_admission_stays_open(as_sam, patient, bed):
    admission_id = admit(as_sam, patient, bed).json()["id"]

    assert_problem(as_sam.post(url(admission_id), {"reason": "x" * 2001}), 400, field="reason")
    assert Admission.objects.get().is_open


def test_doctors_and_nurses_may_not_discharge(as_sam, as_dana, as_bob, patient, bed):
    admission_id = admit(as_sam, patient, bed).json()["id"]

    for client in (as_dana, as_bob):
        assert_problem(client.post(url(admission_id), {}), 403)
    assert Admission.objects.get().is_open


def test_another_organization_gets_a_404(as_sam, as_charlie, patient, bed):
    admission_id = admit(as_sam, patient, bed).json()["id"]

    assert_problem(as_charlie.post(url(admission_id), {}), 404)
    assert Admission.objects.get().is_open
