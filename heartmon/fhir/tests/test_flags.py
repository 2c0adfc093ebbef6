"""Flag: the alarms, active while open and inactive once closed, with their priority as the
standard flag-priority extension; searched by patient, date and _lastUpdated; read by the roles
that read alarms; another organization's alarm is not found."""

from datetime import UTC, datetime, timedelta

import pytest

from heartmon.alarms.engine import RAISED, Change
from heartmon.alarms.services.alarms import Subject, acknowledge, close, raise_alarm
from heartmon.audit.models import AuditEvent
from heartmon.fhir.tests.fhir_checks import assert_outcome, fhir_json

URL = "/fhir/R4/Flag"
RAISED_AT = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def raise_for(patient, *, at=RAISED_AT, priority="high", condition="heart_rate", device=None):
    subject = Subject(
        patient_id=patient.pk,
        organization_id=patient.organization_id,
        condition=condition,
        device_id=device.pk if device else None,
    )
    return raise_alarm(subject, Change(RAISED, at.timestamp(), priority, 35.0))


def ids(bundle):
    return [entry["resource"]["id"] for entry in bundle["entry"]]


@pytest.fixture
def alarm(patient, device):
    return raise_for(patient, device=device)


def test_an_open_alarm_is_an_active_flag_with_its_priority(as_bob, alarm, patient, device):
    body = fhir_json(as_bob.get(f"{URL}/{alarm.pk}"))

    assert body["status"] == "active"
    assert body["subject"] == {"reference": f"Patient/{patient.pk}"}
    assert body["author"] == {"reference": f"Device/{device.pk}"}
    assert body["code"]["coding"][0]["code"] == "heart_rate"
    assert body["category"][0]["coding"][0]["code"] == "clinical"
    [priority] = body["extension"]
    assert priority["url"] == "http://hl7.org/fhir/StructureDefinition/flag-priority"
    assert priority["valueCodeableConcept"]["coding"][0]["code"] == "PH"
    assert body["period"] == {"start": "2026-11-20T08:00:00Z"}


def test_a_closed_alarm_is_an_inactive_flag_with_its_period(as_dana, alarm, dana):
    close(alarm, at=RAISED_AT + timedelta(minutes=5))

    body = fhir_json(as_dana.get(f"{URL}/{alarm.pk}"))

    assert body["status"] == "inactive"
    assert body["period"]["end"] == "2026-11-20T08:05:00Z"


def test_a_technical_alarm_is_a_safety_flag(as_bob, patient):
    subject = Subject(
        patient_id=patient.pk,
        organization_id=patient.organization_id,
        condition="no_data",
        kind="technical",
    )
    technical = raise_alarm(subject, Change(RAISED, RAISED_AT.timestamp(), "medium", None))

    body = fhir_json(as_bob.get(f"{URL}/{technical.pk}"))

    assert body["category"][0]["coding"][0]["code"] == "safety"
    assert body["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "PM"
    assert "author" not in body


def test_a_search_by_patient_and_date_finds_the_alarms(as_bob, alarm, patient, patient2):
    earlier = raise_for(patient, at=RAISED_AT - timedelta(days=2), condition="spo2")
    theirs = raise_for(patient2)

    mine = fhir_json(as_bob.get(URL, {"patient": str(patient.pk), "_sort": "-date"}))
    on_the_day = fhir_json(as_bob.get(URL, {"patient": str(patient.pk), "date": "2026-11-20"}))
    by_subject = fhir_json(as_bob.get(URL, {"subject": f"Patient/{patient2.pk}"}))

    assert ids(mine) == [str(alarm.pk), str(earlier.pk)]
    assert ids(on_the_day) == [str(alarm.pk)]
    assert ids(by_subject) == [str(theirs.pk)]


def test_last_updated_follows_the_timeline(as_dana, alarm, dana, time_machine):
    time_machine.move_to(RAISED_AT + timedelta(hours=3), tick=False)
    acknowledge(alarm=alarm, note="", actor=dana.as_actor())
    half_way = (RAISED_AT + timedelta(hours=1)).isoformat()

    later = fhir_json(as_dana.get(URL, {"_lastUpdated": f"gt{half_way}"}))
    before = fhir_json(as_dana.get(URL, {"_lastUpdated": f"lt{half_way}"}))

    assert ids(later) == [str(alarm.pk)]
    assert before["entry"] == []


def test_reading_flags_is_audited_with_the_patient(as_bob, alarm, patient):
    fhir_json(as_bob.get(URL, {"patient": str(patient.pk)}))

    assert AuditEvent.objects.filter(action="fhir.searched", patient_id=patient.pk).exists()


def test_staff_and_technicians_read_no_flags(as_sam, as_tess, alarm):
    for client in (as_sam, as_tess):
        assert_outcome(client.get(f"{URL}/{alarm.pk}"), 403, "forbidden")


def test_another_organizations_alarm_is_not_found(as_charlie, alarm):
    assert_outcome(as_charlie.get(f"{URL}/{alarm.pk}"), 404)
    assert fhir_json(as_charlie.get(URL))["entry"] == []
