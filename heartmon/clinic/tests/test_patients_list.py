"""GET /api/v1/patients/ and /{id}/: the organization's patients, each read audited."""

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.clinic.models import Patient
from heartmon.core.testing import assert_problem

URL = "/api/v1/patients/"


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["patient_number"] for row in response.json()["results"]]


def test_a_nurse_lists_the_organizations_patients_with_their_notes(as_bob, patient, patient2):
    response = as_bob.get(URL)

    assert numbers(response) == ["MRN-2", "MRN-1"]  # by family name
    row = response.json()["results"][1]
    assert (row["notes"], row["phone"]) == ("Allergic to penicillin", "+14155550123")


def test_a_technician_sees_no_notes_or_contact_details(as_tess, patient):
    for row in (as_tess.get(URL).json()["results"][0], as_tess.get(f"{URL}{patient.pk}/").json()):
        assert row["patient_number"] == "MRN-1"
        assert not {"notes", "phone", "email", "address"} & set(row)


def test_it_filters_searches_and_orders(as_bob, patient, patient2):
    assert numbers(as_bob.get(URL, {"search": "okaf"})) == ["MRN-1"]
    assert numbers(as_bob.get(URL, {"patient_number": "MRN-2"})) == ["MRN-2"]
    assert numbers(as_bob.get(URL, {"ordering": "patient_number"})) == ["MRN-1", "MRN-2"]
    Patient.objects.filter(pk=patient.pk).update(birth_date="1950-01-01", sex="female")
    assert numbers(as_bob.get(URL, {"born_before": "1960-01-01"})) == ["MRN-1"]
    assert numbers(as_bob.get(URL, {"sex": "female"})) == ["MRN-1"]


def test_it_paginates_with_limit_and_offset(as_bob, patient, patient2):
    body = as_bob.get(URL, {"limit": 1, "offset": 1}).json()

    assert body["count"] == 2
    assert [row["patient_number"] for row in body["results"]] == ["MRN-1"]


def test_a_list_writes_one_audit_event_naming_the_patients_returned(as_bob, bob, patient, patient2):
    as_bob.get(URL, {"limit": 1})

    event = AuditEvent.objects.get(action=AuditAction.PATIENTS_LISTED)
    assert event.actor == bob
    assert event.details["patient_ids"] == [str(patient2.pk)]
    assert event.details["count"] == 1


def test_a_detail_read_is_audited_with_the_patient_id(as_bob, bob, patient):
    response = as_bob.get(f"{URL}{patient.pk}/")

    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.PATIENT_VIEWED)
    assert (event.patient_id, event.actor, event.organization_id) == (
        patient.pk,
        bob,
        patient.organization_id,
    )


def test_another_organization_gets_a_404_and_an_empty_list(as_charlie, patient):
    assert_problem(as_charlie.get(f"{URL}{patient.pk}/"), 404)
    assert numbers(as_charlie.get(URL)) == []
    assert not AuditEvent.objects.filter(action=AuditAction.PATIENT_VIEWED).exists()


def test_an_anonymous_client_must_authenticate(anonymous, patient):
    assert_problem(anonymous.get(URL), 401)


def test_the_list_takes_a_fixed_number_of_queries(as_bob, org_a, django_assert_max_num_queries):
    Patient.objects.bulk_create(
        Patient(organization=org_a, patient_number=f"N{n}", given_name="G", family_name=f"F{n}")
        for n in range(40)
    )

    with django_assert_max_num_queries(3):  # count, page, audit event
        response = as_bob.get(URL, {"limit": 100})

    assert len(response.json()["results"]) == 40
