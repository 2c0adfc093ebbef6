"""PATCH /api/v1/patients/{id}/: staff and admins correct a patient; the number freezes once the
patient has admissions or devices."""

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.clinic.models import Admission, Patient
from heartmon.core.testing import assert_problem
from heartmon.devices.models import DeviceAssignment


def url(patient: Patient) -> str:
    return f"/api/v1/patients/{patient.pk}/"


def test_staff_change_a_patients_details(as_sam, patient):
    response = as_sam.patch(url(patient), {"phone": "+14155550199", "family_name": "Okafor-Lee"})

    assert response.status_code == 200, response.content
    patient.refresh_from_db()
    assert (patient.phone, patient.family_name) == ("+14155550199", "Okafor-Lee")
    event = AuditEvent.objects.get(action=AuditAction.PATIENT_UPDATED)
    assert (event.patient_id, event.details) == (patient.pk, {"fields": ["family_name", "phone"]})


def test_the_number_may_change_before_any_admission(as_sam, patient):
    assert as_sam.patch(url(patient), {"patient_number": "MRN-9"}).status_code == 200
    patient.refresh_from_db()
    assert patient.patient_number == "MRN-9"


def test_the_number_is_frozen_once_the_patient_was_admitted(as_sam, patient, bed, alice):
    Admission.objects.create(
        organization=patient.organization,
        patient=patient,
        place=bed,
        bed=bed,
        reason="x",
        admitted_by=alice,
    )

    assert_problem(
        as_sam.patch(url(patient), {"patient_number": "MRN-9"}), 409, field="patient_number"
    )
    patient.refresh_from_db()
    assert patient.patient_number == "MRN-1"


def test_the_number_is_frozen_once_a_device_was_assigned(as_sam, patient, device, alice):
    DeviceAssignment.objects.create(device=device, patient=patient, assigned_by=alice)

    assert_problem(
        as_sam.patch(url(patient), {"patient_number": "MRN-9"}), 409, field="patient_number"
    )
    assert (
        as_sam.patch(url(patient), {"patient_number": "MRN-1", "given_name": "Adaeze"}).status_code
        == 200
    )


def test_taking_another_patients_number_is_a_conflict(as_sam, patient, patient2):
    assert_problem(
        as_sam.patch(url(patient2), {"patient_number": "MRN-1"}), 409, field="patient_number"
    )
    patient2.refresh_from_db()
    assert patient2.patient_number == "MRN-2"


def test_bad_values_are_refused_and_nothing_changes(as_sam, patient):
    assert_problem(as_sam.patch(url(patient), {"given_name": ""}), 400, field="given_name")
    assert_problem(as_sam.patch(url(patient), {"phone": "12"}), 400, field="phone")
    patient.refresh_from_db()
    assert (patient.given_name, patient.phone) == ("Ada", "+14155550123")
    assert not AuditEvent.objects.filter(action=AuditAction.PATIENT_UPDATED).exists()


def test_put_is_not_offered(as_sam, patient):
    assert_problem(as_sam.put(url(patient), {"given_name": "X"}), 405)


def test_a_nurse_may_not_change_a_patient(as_bob, patient):
    assert_problem(as_bob.patch(url(patient), {"given_name": "X"}), 403)
    patient.refresh_from_db()
    assert patient.given_name == "Ada"


def test_another_organization_gets_a_404(as_charlie, patient):
    assert_problem(as_charlie.patch(url(patient), {"given_name": "X"}), 404)
    patient.refresh_from_db()
    assert patient.given_name == "Ada"
