"""Every read and change of a patient's data leaves an audit event naming the patient; refused
requests leave none."""

from heartmon.audit.models import AuditEvent
from heartmon.clinic.models import Patient
from heartmon.clinic.tests.admitting import admit
from heartmon.core.testing import assert_problem


def trail(patient_id) -> list[str]:
    return list(
        AuditEvent.objects.filter(patient_id=patient_id)
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


def test_a_patients_whole_stay_is_on_the_audit_trail(as_alice, as_sam, dana, bed, bed2, device):
    patient_id = as_sam.post(
        "/api/v1/patients/", {"patient_number": "P-7", "given_name": "Ada", "family_name": "Ok"}
    ).json()["id"]
    patient_url = f"/api/v1/patients/{patient_id}/"
    as_sam.get(patient_url)
    as_sam.patch(patient_url, {"given_name": "Adaeze"})
    member = as_sam.post(f"{patient_url}care-team/", {"user": str(dana.pk), "role": "attending"})
    as_sam.get(f"{patient_url}care-team/")
    as_sam.delete(f"{patient_url}care-team/{member.json()['id']}/")
    admission = admit(as_sam, Patient.objects.get(pk=patient_id), bed, [device]).json()
    admission_url = f"/api/v1/admissions/{admission['id']}/"
    as_sam.get(admission_url)
    as_sam.post(f"{admission_url}transfer/", {"place": str(bed2.pk)})
    as_sam.post(f"{admission_url}discharge/", {})
    as_sam.get(f"{patient_url}admissions/")
    as_sam.delete(patient_url)
    as_alice.post(f"{patient_url}restore/")

    assert trail(patient_id) == [
        "patient.created",
        "patient.viewed",
        "patient.updated",
        "patient.care_team_added",
        "patient.care_team_viewed",
        "patient.care_team_removed",
        "admission.created",
        "admission.viewed",
        "admission.transferred",
        "admission.discharged",
        "admission.listed",
        "patient.archived",
        "patient.restored",
    ]


def test_refused_and_foreign_requests_leave_no_patient_event(as_sam, as_bob, as_charlie, patient):
    url = f"/api/v1/patients/{patient.pk}/"
    assert_problem(as_sam.patch(url, {"birth_date": "2999-01-01"}), 400)
    assert_problem(as_bob.patch(url, {"given_name": "X"}), 403)
    assert_problem(as_charlie.get(url), 404)
    assert_problem(as_charlie.delete(url), 404)

    assert trail(patient.pk) == []
