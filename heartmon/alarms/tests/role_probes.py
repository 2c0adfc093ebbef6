"""The alarms' probes of the role table (see `accounts/tests/role_probes.py`) and their world: the
admitted patient's open heart-rate alarm, a place override on the spare bed, a patient override
on the outpatient, and org A's default heart-rate rule."""

from typing import Any

from django.db.models import Model
from django.utils import timezone

from heartmon.accounts.tests.role_probes import Probe, World
from heartmon.alarms.engine import RAISED, Change
from heartmon.alarms.models import AlarmRule
from heartmon.alarms.services.alarms import Subject, raise_alarm

TARGETS = {"alarms": "alarm", "alarm_rules": "default_rule"}


def _place_rule(world: World) -> dict[str, Any]:
    return {"metric": "spo2", "place": world.id("bed"), "low": 88, "priority": "medium"}


def _patient_rule(world: World) -> dict[str, Any]:
    return {"metric": "spo2", "low": 88, "priority": "medium", "reason": "COPD"}


def _replay(world: World) -> dict[str, Any]:
    return {"patient": world.id("patient"), "start": "2026-01-01", "end": "2026-01-02"}


PROBES: dict[tuple[str, str], list[Probe]] = {
    ("alarms", "read"): [
        Probe("alarm-list", "get", "list", 200, row="alarm"),
        Probe("alarm-detail", "get", "object", 200),
        Probe("patient-news2", "get", "object", 200, url={"patient_pk": "patient"}),
    ],
    ("alarms", "acknowledge"): [
        Probe("alarm-acknowledge", "post", "object", 200, {"note": "Seen"}),
    ],
    ("alarm_rules", "read"): [
        Probe("alarm-rule-list", "get", "list", 200, row="default_rule"),
        Probe("alarm-rule-detail", "get", "object", 200),
        Probe("patient-alarm-rules", "get", "object", 200, url={"patient_pk": "outpatient"}),
        Probe("patient-alarm-rules-effective", "get", "object", 200, url={"patient_pk": "patient"}),
        Probe("alarm-rule-replay", "post", "create", 200, _replay, foreign_field="patient"),
    ],
    ("alarm_rules", "write"): [
        Probe("alarm-rule-list", "post", "create", 201, _place_rule, foreign_field="place"),
        Probe("alarm-rule-detail", "patch", "object", 200, {"high": 125}),
        Probe("alarm-rule-detail", "delete", "object", 204, url={"pk": "place_rule"}),
    ],
    ("alarm_settings", "read"): [Probe("alarm-settings", "get", "self", 200)],
    ("alarm_settings", "write"): [
        Probe("alarm-settings", "patch", "self", 200, {"high_escalation_seconds": 45}),
    ],
    ("alarm_rules", "patient_override"): [
        Probe(
            "patient-news2-scale",
            "put",
            "object",
            200,
            {"scale2": True, "reason": "COPD"},
            url={"patient_pk": "patient"},
        ),
        Probe(
            "patient-alarm-rules",
            "post",
            "object",
            201,
            _patient_rule,
            url={"patient_pk": "patient"},
        ),
        Probe(
            "patient-alarm-rule",
            "patch",
            "object",
            200,
            {"low": 86},
            url={"patient_pk": "outpatient", "pk": "patient_rule"},
        ),
        Probe(
            "patient-alarm-rule",
            "delete",
            "object",
            204,
            url={"patient_pk": "outpatient", "pk": "patient_rule"},
        ),
    ],
}


def build(objects: dict[str, Any]) -> dict[str, Model]:
    """Needs the clinic's world: `patient` admitted to `bed`, `spare_bed`, `outpatient`."""
    org, patient = objects["org_a"], objects["patient"]
    change = Change(RAISED, timezone.now().timestamp(), "medium", 130.0)
    subject = Subject(patient_id=patient.pk, organization_id=org.pk, condition="heart_rate")
    return {
        "alarm": raise_alarm(subject, change),
        "default_rule": AlarmRule.objects.get(
            organization=org, metric="heart_rate", place=None, patient=None
        ),
        "place_rule": AlarmRule.objects.create(
            organization=org, place=objects["spare_bed"], metric="spo2", low=88, priority="medium"
        ),
        "patient_rule": AlarmRule.objects.create(
            organization=org,
            patient=objects["outpatient"],
            metric="heart_rate",
            low=40,
            high=120,
            priority="medium",
            reason="Athlete",
        ),
    }
