"""POST /api/v1/admissions/{id}/transfer/: move an open admission to another bed or ward."""

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.clinic.models import Admission, Place, PlaceKind, Transfer
from heartmon.clinic.tests.admitting import admit
from heartmon.core.testing import assert_problem


def url(admission_id: str) -> str:
    return f"/api/v1/admissions/{admission_id}/transfer/"


def test_staff_move_a_patient_to_another_bed(as_sam, sam, patient, patient2, bed, bed2):
    admission_id = admit(as_sam, patient, bed).json()["id"]

    response = as_sam.post(url(admission_id), {"place": str(bed2.pk), "reason": "Quieter"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["place"]["id"], body["bed"]) == (str(bed2.pk), str(bed2.pk))
    assert [(t["from_place"]["name"], t["to_place"]["name"]) for t in body["transfers"]] == [
        ("Bed 1", "Bed 2")
    ]
    transfer = Transfer.objects.get()
    assert (transfer.moved_by, transfer.reason) == (sam, "Quieter")
    assert admit(as_sam, patient2, bed).status_code == 201  # the old bed is free
    assert AuditEvent.objects.get(action=AuditAction.ADMISSION_TRANSFERRED).patient_id == patient.pk


def test_moving_into_an_occupied_bed_is_a_conflict(as_sam, patient, patient2, bed, bed2):
    admission_id = admit(as_sam, patient, bed).json()["id"]
    admit(as_sam, patient2, bed2)

    assert_problem(as_sam.post(url(admission_id), {"place": str(bed2.pk)}), 409, field="place")
    assert Admission.objects.get(pk=admission_id).place == bed
    assert not Transfer.objects.exists()


def test_a_bed_to_ward_move_releases_the_bed(as_sam, patient, bed, ward):
    admission_id = admit(as_sam, patient, bed).json()["id"]

    body = as_sam.post(url(admission_id), {"place": str(ward.pk)}).json()

    assert (body["place"]["id"], body["bed"]) == (str(ward.pk), None)


def test_only_to_a_bed_or_ward_and_not_where_the_patient_is(as_sam, patient, bed, hospital):
    admission_id = admit(as_sam, patient, bed).json()["id"]

    assert_problem(as_sam.post(url(admission_id), {"place": str(hospital.pk)}), 400, field="place")
    assert_problem(as_sam.post(url(admission_id), {"place": str(bed.pk)}), 400, field="place")
    assert not Transfer.objects.exists()


def test_another_organizations_place_reads_as_unknown(as_sam, patient, bed, org_b):
    elsewhere = Place.objects.create(organization=org_b, kind=PlaceKind.WARD, name="B ward")
    admission_id = admit(as_sam, patient, bed).json()["id"]

    assert_problem(as_sam.post(url(admission_id), {"place": str(elsewhere.pk)}), 400, field="place")
    assert Admission.objects.get().place == bed


def test_a_discharged_admission_cannot_move(as_sam, patient, bed, bed2):
    admission_id = admit(as_sam, patient, bed).json()["id"]
    as_sam.post(f"/api/v1/admissions/{admission_id}/discharge/", {})

    assert_problem(as_sam.post(url(admission_id), {"place": str(bed2.pk)}), 409)
    assert not Transfer.objects.exists()


def test_nurses_may_not_transfer_and_other_organizations_get_a_404(
    as_sam, as_bob, as_charlie, patient, bed, bed2
):
    admission_id = admit(as_sam, patient, bed).json()["id"]

    assert_problem(as_bob.post(url(admission_id), {"place": str(bed2.pk)}), 403)
    assert_problem(as_charlie.post(url(admission_id), {"place": str(bed2.pk)}), 404)
    assert Admission.objects.get().place == bed
