"""POST /api/v1/patients/: staff and admins register patients of their own organization."""

import time_machine

from heartmon.accounts.models import User
from heartmon.accounts.testing import client_for
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.clinic.models import Patient
from heartmon.core.testing import assert_problem

URL = "/api/v1/patients/"

ADA = {
    "patient_number": "MRN-004211",
    "given_name": "Ada",
    "family_name": "Okafor",
    "birth_date": "1957-03-14",
    "sex": "female",
    "phone": "+14155550123",
    "email": "ada@example.org",
    "address": "1 Harbour Road",
    "notes": "Pacemaker since 2019",
}


@time_machine.travel("2026-03-14 12:00Z")
def test_staff_register_a_patient_with_a_derived_age(as_sam, sam, org_a):
    response = as_sam.post(URL, ADA)

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["age"] == 69
    assert body["created_by"] == str(sam.pk)
    assert body["archived_at"] is None
    patient = Patient.objects.get(pk=body["id"])
    assert (patient.organization, patient.created_by, patient.notes) == (org_a, sam, ADA["notes"])


def test_registration_is_audited_with_the_patient_id(as_sam, sam):
    patient_id = as_sam.post(URL, ADA).json()["id"]

    event = AuditEvent.objects.get(action=AuditAction.PATIENT_CREATED)
    assert (str(event.patient_id), event.actor) == (patient_id, sam)


def test_the_client_cannot_choose_the_creator_or_the_archive_date(as_sam, sam, alice):
    body = as_sam.post(
        URL, {**ADA, "created_by": str(alice.pk), "archived_at": "2020-01-01T00:00:00Z"}
    ).json()

    patient = Patient.objects.get(pk=body["id"])
    assert (patient.created_by, patient.archived_at) == (sam, None)


def test_the_same_number_twice_in_one_organization_is_a_conflict(as_sam, patient):
    body = assert_problem(as_sam.post(URL, {**ADA, "patient_number": "MRN-1"}), 409)

    assert "patient_number" in body["errors"]
    assert Patient.objects.filter(patient_number="MRN-1").count() == 1


def test_another_organization_may_reuse_a_number(as_charlie, patient):
    assert as_charlie.post(URL, {**ADA, "patient_number": "MRN-1"}).status_code == 201
    assert Patient.objects.filter(patient_number="MRN-1").count() == 2


@time_machine.travel("2026-03-14 12:00Z")
def test_a_birth_date_in_the_future_or_before_1900_is_refused(as_sam, sam):
    assert_problem(as_sam.post(URL, {**ADA, "birth_date": "2026-03-15"}), 400, field="birth_date")
    assert_problem(as_sam.post(URL, {**ADA, "birth_date": "1899-12-31"}), 400, field="birth_date")
    assert not Patient.objects.exists()


def test_blank_names_are_refused(as_sam, sam):
    response = as_sam.post(URL, {**ADA, "given_name": "  ", "family_name": ""})

    body = assert_problem(response, 400, field="given_name")
    assert "family_name" in body["errors"]
    assert not Patient.objects.exists()


def test_phone_email_sex_and_lengths_are_validated(as_sam, sam):
    assert_problem(as_sam.post(URL, {**ADA, "phone": "555-0123"}), 400, field="phone")
    assert_problem(as_sam.post(URL, {**ADA, "email": "not-an-email"}), 400, field="email")
    assert_problem(as_sam.post(URL, {**ADA, "sex": "m"}), 400, field="sex")
    assert_problem(as_sam.post(URL, {**ADA, "given_name": "A" * 151}), 400, field="given_name")
    assert_problem(as_sam.post(URL, {**ADA, "patient_number": ""}), 400, field="patient_number")
    assert not Patient.objects.exists()


def test_only_the_number_and_names_are_required(as_sam, sam):
    response = as_sam.post(URL, {"patient_number": "7", "given_name": "A", "family_name": "B"})

    assert response.status_code == 201, response.content
    assert (response.json()["sex"], response.json()["age"]) == ("unknown", None)


def test_nurses_doctors_and_technicians_may_not_register(as_bob, as_dana, as_tess):
    for client in (as_bob, as_dana, as_tess):
        assert_problem(client.post(URL, ADA), 403)
    assert not Patient.objects.exists()


def test_a_superuser_outside_any_organization_is_sent_to_the_admin(db):
    root = User.objects.create_superuser(
        email="root@heartmon.example", password="x", first_name="Root", last_name="User"
    )

    assert_problem(client_for(root).post(URL, ADA), 409)
    assert not Patient.objects.exists()
