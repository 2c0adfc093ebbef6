from heartmon.audit.models import AuditEvent
from heartmon.fhir.tests.fhir_checks import assert_outcome, fhir_json


def test_a_clinician_reads_a_patient_with_contact_details(as_dana, patient, org_a):
    body = fhir_json(as_dana.get(f"/fhir/R4/Patient/{patient.pk}"))

    assert body["identifier"] == [
        {"use": "usual", "system": f"urn:uuid:{org_a.pk}", "value": "MRN-1"}
    ]
    assert body["name"] == [{"use": "official", "family": "Okafor", "given": ["Ada"]}]
    assert body["gender"] == "unknown"
    assert body["telecom"] == [{"system": "phone", "value": "+14155550123"}]
    assert body["active"] is True


def test_the_read_is_audited_with_the_patient(as_dana, dana, patient):
    as_dana.get(f"/fhir/R4/Patient/{patient.pk}")

    event = AuditEvent.objects.get(action="fhir.read")
    assert event.actor_id == dana.pk
    assert event.patient_id == patient.pk
    assert event.details["type"] == "Patient"


def test_a_technician_sees_no_contact_details(as_tess, patient):
    body = fhir_json(as_tess.get(f"/fhir/R4/Patient/{patient.pk}"))

    assert "telecom" not in body
    assert body["identifier"][0]["value"] == "MRN-1"


def test_another_organizations_patient_is_not_found(as_charlie, patient):
    assert_outcome(as_charlie.get(f"/fhir/R4/Patient/{patient.pk}"), 404, "not-found")


def test_an_unknown_id_is_not_found(as_dana, db):
    assert_outcome(as_dana.get("/fhir/R4/Patient/not-a-uuid"), 404, "not-found")


def test_signing_in_is_required(anonymous, patient):
    response = anonymous.get(f"/fhir/R4/Patient/{patient.pk}")

    assert_outcome(response, 401, "login")
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_search_by_identifier_finds_the_patient(as_bob, patient, patient2, org_b_patient):
    body = fhir_json(as_bob.get("/fhir/R4/Patient", {"identifier": "MRN-2"}))

    assert body["type"] == "searchset"
    assert [entry["resource"]["id"] for entry in body["entry"]] == [str(patient2.pk)]


def test_a_search_lists_only_the_organizations_patients(as_bob, patient, patient2, org_b_patient):
    body = fhir_json(as_bob.get("/fhir/R4/Patient"))

    assert {entry["resource"]["id"] for entry in body["entry"]} == {
        str(patient.pk),
        str(patient2.pk),
    }
    event = AuditEvent.objects.get(action="fhir.searched")
    assert sorted(event.details["patient_ids"]) == sorted([str(patient.pk), str(patient2.pk)])


def test_an_unknown_search_parameter_is_refused(as_bob, patient):
    assert_outcome(as_bob.get("/fhir/R4/Patient", {"name": "Ada"}), 400, "not-supported")


def test_an_unknown_resource_type_is_not_found(as_bob, db):
    assert_outcome(as_bob.get("/fhir/R4/Medication"), 404, "not-supported")


def test_an_identifier_in_another_system_finds_nobody(as_bob, patient):
    for system in ("urn:uuid:not-an-organization", "http://example.org/mrn"):
        body = fhir_json(as_bob.get("/fhir/R4/Patient", {"identifier": f"{system}|MRN-1"}))
        assert body["entry"] == []


def test_an_unknown_address_is_an_operation_outcome(as_bob, db):
    assert_outcome(as_bob.get("/fhir/R4/Patient/1/_history"), 404, "not-found")


def test_fhir_is_read_only(as_bob, patient):
    assert_outcome(as_bob.post("/fhir/R4/Patient", {}), 405, "not-supported")
