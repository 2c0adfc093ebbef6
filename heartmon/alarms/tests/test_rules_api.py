"""Alarm rules: every organization gets the defaults; admins change them and override them per
place, doctors per patient with a reason; all audited; the effective rule is the most specific."""

from heartmon.accounts.models import Organization
from heartmon.alarms.models import AlarmRule, AlarmSettings
from heartmon.audit.models import AuditEvent
from heartmon.core.testing import assert_problem

URL = "/api/v1/alarm-rules/"


def patient_url(patient):
    return f"/api/v1/patients/{patient.pk}/alarm-rules/"


def effective(client, patient):
    response = client.get(f"{patient_url(patient)}effective/")
    assert response.status_code == 200, response.content
    return {rule["metric"]: rule for rule in response.json()}


def test_a_new_organization_gets_the_published_defaults(db):
    organization = Organization.objects.create(name="St Elsewhere")

    rules = {rule.metric: rule for rule in AlarmRule.objects.filter(organization=organization)}
    assert (rules["heart_rate"].low, rules["heart_rate"].high) == (50, 120)
    assert (rules["heart_rate"].extreme_low, rules["heart_rate"].extreme_high) == (40, 150)
    assert (rules["spo2"].low, rules["spo2"].delay_seconds) == (90, 15)
    assert (rules["resp_rate"].low, rules["resp_rate"].high) == (8, 25)
    assert (rules["temperature"].high, rules["temperature"].priority) == (39.1, "low")
    assert AlarmSettings.objects.get(organization=organization).high_escalation_seconds == 60


def test_an_admin_changes_a_default_and_the_change_is_audited(as_alice, alice):
    rule = AlarmRule.objects.get(organization=alice.organization, metric="spo2")

    response = as_alice.patch(f"{URL}{rule.pk}/", {"low": 88})

    assert response.status_code == 200, response.content
    event = AuditEvent.objects.get(action="alarm_rule.updated")
    assert (event.details["before"]["low"], event.details["after"]["low"]) == (90, 88)


def test_a_place_override_applies_to_patients_anywhere_under_it(as_alice, as_bob, admitted, ward):
    response = as_alice.post(
        URL, {"metric": "spo2", "place": str(ward.pk), "low": 88, "priority": "medium"}
    )

    assert response.status_code == 201, response.content
    assert response.json()["level"] == "place"
    rules = effective(as_bob, admitted)
    assert (rules["spo2"]["level"], rules["spo2"]["low"]) == ("place", 88)
    assert rules["heart_rate"]["level"] == "organization"


def test_a_doctor_overrides_a_patients_rule_with_a_reason(as_dana, as_bob, admitted):
    body = {"metric": "heart_rate", "low": 40, "high": 120, "priority": "medium"}

    refused = as_dana.post(patient_url(admitted), body)
    response = as_dana.post(patient_url(admitted), {**body, "reason": "Athlete"})

    assert_problem(refused, 400, field="reason")
    assert response.status_code == 201, response.content
    assert effective(as_bob, admitted)["heart_rate"]["level"] == "patient"
    event = AuditEvent.objects.get(action="alarm_rule.created")
    assert event.patient_id == admitted.pk


def test_limits_that_contradict_each_other_are_refused_and_nothing_is_stored(as_alice, ward):
    before = AlarmRule.objects.count()
    cases = [
        ({"low": 120, "high": 50}, "high"),
        ({"low": 50, "extreme_low": 60}, "extreme_low"),
        ({}, "low"),
        ({"low": 50, "delay_seconds": -1}, "delay_seconds"),
    ]
    for limits, field in cases:
        body = {"metric": "heart_rate", "place": str(ward.pk), "priority": "medium", **limits}
        assert_problem(as_alice.post(URL, body), 400, field=field)
    assert AlarmRule.objects.count() == before


def test_a_second_override_of_the_same_place_and_metric_is_a_conflict(as_alice, ward):
    body = {"metric": "spo2", "place": str(ward.pk), "low": 88, "priority": "medium"}
    as_alice.post(URL, body)

    assert_problem(as_alice.post(URL, body), 409)


def test_a_patient_rule_is_not_made_at_the_organization_endpoint(as_alice, patient):
    body = {"metric": "spo2", "patient": str(patient.pk), "low": 88, "priority": "medium"}

    assert_problem(as_alice.post(URL, {**body, "reason": "COPD"}), 400, field="patient")


def test_the_level_and_metric_of_a_rule_are_fixed(as_alice, alice):
    rule = AlarmRule.objects.get(organization=alice.organization, metric="spo2")

    assert_problem(as_alice.patch(f"{URL}{rule.pk}/", {"metric": "heart_rate"}), 400)


def test_a_default_cannot_be_deleted(as_alice, alice):
    rule = AlarmRule.objects.get(organization=alice.organization, metric="spo2")

    assert_problem(as_alice.delete(f"{URL}{rule.pk}/"), 409)


def test_nurses_read_rules_but_do_not_change_them(as_bob, bob, patient):
    rule = AlarmRule.objects.get(organization=bob.organization, metric="spo2")

    assert as_bob.get(URL).json()["count"] == 4
    assert_problem(as_bob.patch(f"{URL}{rule.pk}/", {"low": 80}), 403)
    assert_problem(as_bob.post(patient_url(patient), {"metric": "spo2"}), 403)


def test_another_organizations_rules_and_patients_are_not_found(as_charlie, alice, patient):
    rule = AlarmRule.objects.get(organization=alice.organization, metric="spo2")

    assert_problem(as_charlie.patch(f"{URL}{rule.pk}/", {"low": 80}), 404)
    assert_problem(as_charlie.get(f"{patient_url(patient)}effective/"), 404)
    assert str(rule.pk) not in {row["id"] for row in as_charlie.get(URL).json()["results"]}


def test_the_migration_gives_existing_organizations_the_defaults(org_a):
    """Organizations made before alarms existed: the data migration's function, on today's
    models (which it reads the same fields of)."""
    from importlib import import_module

    from django.apps import apps

    migration = import_module("heartmon.alarms.migrations.0001_alarms")
    AlarmRule.objects.filter(organization=org_a).delete()
    AlarmSettings.objects.filter(organization=org_a).delete()

    migration._defaults_for_existing(apps, None)
    migration._defaults_for_existing(apps, None)  # twice: nothing doubled

    assert AlarmRule.objects.filter(organization=org_a).count() == 4
    assert AlarmSettings.objects.filter(organization=org_a).count() == 1
