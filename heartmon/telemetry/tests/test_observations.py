"""Manual observations: vital signs taken by hand, entered by doctors and nurses with no device
(POST /api/v1/patients/{id}/observations/, or a person's batch item naming a patient and no
device), stored as readings with source `manual`, unique per patient, metric and time, audited,
corrected like other readings."""

from datetime import timedelta

import pytest

from heartmon.accounts.testing import client_for, make_user
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.roles import Role
from heartmon.core.testing import assert_problem
from heartmon.telemetry.models import Reading, Source
from heartmon.telemetry.tests.seed import NOW, T0


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def url(patient):
    return f"/api/v1/patients/{patient.pk}/observations/"


FULL_SET = {
    "recorded_at": T0.isoformat(),
    "heart_rate": 96,
    "spo2": 94,
    "resp_rate": 22,
    "temperature": 38.4,
    "systolic_bp": 104,
    "diastolic_bp": 70,
    "consciousness": "V",
    "oxygen_flow": 2,
}


def test_a_nurse_enters_a_full_set_of_observations(as_bob, patient):
    response = as_bob.post(url(patient), FULL_SET, format="json")

    assert response.status_code == 201, response.content
    assert response.json() == {"stored": 8, "duplicates": 0, "rejected": []}
    stored = {
        reading.metric: reading.value
        for reading in Reading.objects.filter(patient=patient, source=Source.MANUAL)
    }
    assert stored["consciousness"] == 2.0  # V on the ACVPU scale
    assert stored["systolic_bp"] == 104
    assert stored["oxygen_flow"] == 2
    assert set(Reading.objects.values_list("device_id", flat=True)) == {None}


def test_the_same_observation_twice_is_a_duplicate_not_a_second_row(as_dana, patient):
    as_dana.post(url(patient), {"recorded_at": T0.isoformat(), "spo2": 95}, format="json")

    again = {"recorded_at": T0.isoformat(), "spo2": 91}

    response = as_dana.post(url(patient), again, format="json")

    assert response.json()["duplicates"] == 1
    assert list(Reading.objects.values_list("value", flat=True)) == [95]


def test_observations_are_audited_without_values(as_bob, bob, patient):
    as_bob.post(url(patient), FULL_SET, format="json")

    event = AuditEvent.objects.get(action=AuditAction.READINGS_ENTERED)
    assert (event.actor, event.patient_id) == (bob, patient.pk)
    assert set(event.details) == {"stored", "duplicates", "rejected", "patient_ids"}


def test_a_value_out_of_bounds_stores_nothing(as_bob, patient):
    response = as_bob.post(url(patient), {**FULL_SET, "systolic_bp": 900}, format="json")

    assert_problem(response, 400)
    assert not Reading.objects.exists()


def test_an_empty_set_is_refused(as_bob, patient):
    assert_problem(as_bob.post(url(patient), {"recorded_at": T0.isoformat()}, format="json"), 400)


def test_staff_and_technicians_may_not_enter_observations(as_sam, as_tess, patient):
    assert_problem(as_sam.post(url(patient), FULL_SET, format="json"), 403)
    assert_problem(as_tess.post(url(patient), FULL_SET, format="json"), 403)


def test_another_organizations_patient_is_not_found(org_b, patient):
    their_nurse = client_for(make_user(org_b, "nurse@b.example", Role.NURSE))

    assert_problem(their_nurse.post(url(patient), FULL_SET, format="json"), 404)


def test_a_batch_item_naming_a_patient_and_no_device_is_an_observation(as_bob, patient):
    item = {"metric": "resp_rate", "value": 18, "recorded_at": T0.isoformat()}

    response = as_bob.post("/api/v1/readings/", [{**item, "patient": str(patient.pk)}, item])

    assert response.json()["stored"] == 1
    assert response.json()["rejected"][0]["index"] == 1
    assert Reading.objects.get().source == Source.MANUAL


def test_staff_naming_no_device_are_told_only_clinicians_enter_observations(as_sam, patient):
    item = {"metric": "resp_rate", "value": 18, "recorded_at": T0.isoformat()}

    response = as_sam.post("/api/v1/readings/", [{**item, "patient": str(patient.pk)}])

    assert "doctors and nurses" in response.json()["rejected"][0]["errors"]["device"][0]


def test_an_observation_is_corrected_like_any_reading(as_dana, patient):
    as_dana.post(url(patient), {"recorded_at": T0.isoformat(), "temperature": 37.0}, format="json")
    reading = Reading.objects.get()

    response = as_dana.patch(f"/api/v1/readings/{reading.pk}/", {"value": 37.4}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["device"] is None
    event = AuditEvent.objects.get(action=AuditAction.READING_CORRECTED)
    assert event.details["after"]["value"] == 37.4


def test_moving_an_observation_onto_another_at_the_same_time_is_a_conflict(as_dana, patient):
    later = (T0 + timedelta(minutes=5)).isoformat()
    as_dana.post(url(patient), {"recorded_at": T0.isoformat(), "spo2": 95}, format="json")
    as_dana.post(url(patient), {"recorded_at": later, "spo2": 96}, format="json")
    first = Reading.objects.order_by("recorded_at")[0]

    response = as_dana.patch(f"/api/v1/readings/{first.pk}/", {"recorded_at": later}, format="json")

    assert_problem(response, 409)


def test_observations_are_listed_with_the_patients_readings(as_dana, as_charlie, patient):
    as_dana.post(url(patient), {"recorded_at": T0.isoformat(), "spo2": 95}, format="json")

    mine = as_dana.get("/api/v1/readings/", {"patient": str(patient.pk), "start": T0.date()})
    theirs = as_charlie.get("/api/v1/readings/", {"patient": str(patient.pk), "start": T0.date()})

    assert [row["value"] for row in mine.json()["results"]] == [95]
    assert theirs.json()["results"] == []
