import pytest

from heartmon.clinic.services.admissions import admit_patient, discharge_patient, transfer_patient
from heartmon.fhir.tests.fhir_checks import assert_outcome, fhir_json

URL = "/fhir/R4/Encounter"


@pytest.fixture
def admission(patient, bed, sam):
    return admit_patient(patient=patient, place=bed, reason="Chest pain", actor=sam.as_actor())


def test_an_open_admission_is_an_encounter_in_progress(as_dana, admission, patient, bed):
    body = fhir_json(as_dana.get(f"{URL}/{admission.pk}"))

    assert body["status"] == "in-progress"
    assert body["class"]["code"] == "IMP"
    assert body["subject"] == {"reference": f"Patient/{patient.pk}"}
    assert "end" not in body["period"]
    assert body["location"] == [
        {
            "location": {"reference": f"Location/{bed.pk}"},
            "status": "active",
            "period": {"start": body["period"]["start"]},
        }
    ]


def test_transfers_and_discharge_make_the_location_history(as_dana, admission, sam, bed, bed2):
    moved = transfer_patient(admission=admission, place=bed2, reason="", actor=sam.as_actor())
    discharge_patient(admission=moved, reason="Home", actor=sam.as_actor())

    body = fhir_json(as_dana.get(f"{URL}/{admission.pk}"))

    assert body["status"] == "finished"
    assert [stay["location"]["reference"] for stay in body["location"]] == [
        f"Location/{bed.pk}",
        f"Location/{bed2.pk}",
    ]
    assert [stay["status"] for stay in body["location"]] == ["completed", "completed"]
    assert body["location"][0]["period"]["end"] == body["location"][1]["period"]["start"]
    assert body["location"][1]["period"]["end"] == body["period"]["end"]


def test_a_search_by_patient_finds_the_admissions(as_bob, admission, patient, patient2):
    mine = fhir_json(as_bob.get(URL, {"patient": str(patient.pk)}))
    theirs = fhir_json(as_bob.get(URL, {"subject": f"Patient/{patient2.pk}"}))

    assert [entry["resource"]["id"] for entry in mine["entry"]] == [str(admission.pk)]
    assert theirs["entry"] == []


def test_technicians_read_no_encounters(as_tess, admission):
    assert_outcome(as_tess.get(f"{URL}/{admission.pk}"), 403, "forbidden")


def test_another_organizations_admission_is_not_found(as_charlie, admission):
    assert_outcome(as_charlie.get(f"{URL}/{admission.pk}"), 404)
