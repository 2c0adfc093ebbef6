"""DELETE /api/v1/patients/{id}/ archives; ?archived=true and POST .../restore/ are for admins."""

from django.utils import timezone

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.clinic.models import Admission, Patient
from heartmon.core.testing import assert_problem

URL = "/api/v1/patients/"


def url(patient: Patient, suffix: str = "") -> str:
    return f"{URL}{patient.pk}/{suffix}"


def archive(patient: Patient) -> None:
    Patient.objects.filter(pk=patient.pk).update(archived_at=timezone.now())


def test_delete_archives_and_keeps_the_patient(as_sam, patient):
    assert as_sam.delete(url(patient)).status_code == 204

    patient.refresh_from_db()
    assert patient.archived_at is not None
    assert AuditEvent.objects.get(action=AuditAction.PATIENT_ARCHIVED).patient_id == patient.pk


def test_an_archived_patient_is_hidden_from_lists_and_details(as_sam, as_bob, patient, patient2):
    archive(patient)

    assert [row["id"] for row in as_bob.get(URL).json()["results"]] == [str(patient2.pk)]
    assert_problem(as_bob.get(url(patient)), 404)
    assert_problem(as_sam.patch(url(patient), {"given_name": "X"}), 404)


def test_an_admin_lists_archived_patients_only_on_request(as_alice, patient, patient2):
    archive(patient)

    rows = as_alice.get(URL, {"archived": "true"}).json()["results"]
    assert [row["id"] for row in rows] == [str(patient.pk)]
    assert rows[0]["archived_at"] is not None


def test_others_may_not_list_archived_patients(as_bob, patient):
    archive(patient)

    assert_problem(as_bob.get(URL, {"archived": "true"}), 403)


def test_a_malformed_archived_flag_is_a_400(as_alice, patient):
    assert_problem(as_alice.get(URL, {"archived": "perhaps"}), 400, field="archived")


def test_an_admin_restores_an_archived_patient(as_alice, as_bob, patient):
    archive(patient)

    response = as_alice.post(url(patient, "restore/"))

    assert response.status_code == 200, response.content
    assert response.json()["archived_at"] is None
    assert as_bob.get(url(patient)).status_code == 200
    assert AuditEvent.objects.get(action=AuditAction.PATIENT_RESTORED).patient_id == patient.pk


def test_restoring_a_patient_who_is_not_archived_is_a_conflict(as_alice, patient):
    assert_problem(as_alice.post(url(patient, "restore/")), 409)


def test_staff_may_archive_but_not_restore(as_sam, patient):
    archive(patient)

    assert_problem(as_sam.post(url(patient, "restore/")), 403)
    patient.refresh_from_db()
    assert patient.is_archived


def test_an_admitted_patient_cannot_be_archived(as_sam, patient, bed, alice):
    Admission.objects.create(
        organization=patient.organization,
        patient=patient,
        place=bed,
        bed=bed,
        reason="x",
        admitted_by=alice,
    )

    assert_problem(as_sam.delete(url(patient)), 409)
    patient.refresh_from_db()
    assert not patient.is_archived


def test_archiving_twice_is_a_conflict(as_alice, patient):
    archive(patient)

    assert_problem(as_alice.delete(url(patient)), 409)


def test_an_archived_patient_cannot_be_edited_even_by_an_admin(as_alice, patient):
    archive(patient)

    assert_problem(as_alice.patch(url(patient), {"given_name": "X"}), 409)


def test_a_nurse_may_not_archive(as_bob, patient):
    assert_problem(as_bob.delete(url(patient)), 403)
    patient.refresh_from_db()
    assert not patient.is_archived


def test_another_organization_gets_a_404(as_charlie, patient):
    assert_problem(as_charlie.delete(url(patient)), 404)
    archive(patient)
    assert_problem(as_charlie.post(url(patient, "restore/")), 404)
    patient.refresh_from_db()
    assert patient.is_archived
