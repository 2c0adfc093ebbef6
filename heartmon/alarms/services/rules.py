"""Alarm rules changed by people: admins change organization defaults and place overrides,
doctors override a patient's with a reason; every change is audited with both versions."""

from typing import Any

from django.db import IntegrityError, transaction

from heartmon.alarms.models import LIMIT_FIELDS, AlarmRule, News2Scale
from heartmon.audit.services import record_event
from heartmon.clinic.models import Patient
from heartmon.core.actor import Actor
from heartmon.core.errors import Conflict, organization_id_of


def version(rule: AlarmRule) -> dict[str, Any]:
    return {"metric": rule.metric, **{name: getattr(rule, name) for name in LIMIT_FIELDS}}


def _audit(action: str, rule: AlarmRule, *, actor: Actor, details: dict[str, Any]) -> None:
    record_event(
        action,
        actor=actor,
        target=rule,
        organization_id=rule.organization_id,
        patient_id=rule.patient_id,
        details={"level": rule.level, **details},
    )


def _save(rule: AlarmRule) -> None:
    try:
        with transaction.atomic():
            rule.save()
    except IntegrityError as exc:
        raise Conflict(
            f"There is already a {rule.metric} rule at this level; change that one.",
            code="duplicate_rule",
            field="metric",
        ) from exc


@transaction.atomic
def create_rule(*, data: dict[str, Any], actor: Actor) -> AlarmRule:
    """A place's or patient's override (validated; its place or patient the actor's to see)."""
    target = data.get("patient") or data.get("place")
    organization_id = (
        target.organization_id if target is not None else organization_id_of(actor, what="rule")
    )
    rule = AlarmRule(organization_id=organization_id, updated_by_id=actor.user_id, **data)
    _save(rule)
    _audit("alarm_rule.created", rule, actor=actor, details={"after": version(rule)})
    return rule


@transaction.atomic
def update_rule(*, rule: AlarmRule, changes: dict[str, Any], actor: Actor) -> AlarmRule:
    rule = AlarmRule.objects.select_for_update().get(pk=rule.pk)
    before = version(rule)
    for name, value in changes.items():
        setattr(rule, name, value)
    rule.updated_by_id = actor.user_id
    _save(rule)
    _audit(
        "alarm_rule.updated", rule, actor=actor, details={"before": before, "after": version(rule)}
    )
    return rule


@transaction.atomic
def delete_rule(*, rule: AlarmRule, actor: Actor) -> None:
    """Remove an override; an organization's default stays (change it instead)."""
    if rule.level == "organization":
        raise Conflict(
            "An organization's default rule cannot be deleted; change its limits instead.",
            code="default_rule",
        )
    _audit("alarm_rule.deleted", rule, actor=actor, details={"before": version(rule)})
    rule.delete()


@transaction.atomic
def set_news2_scale(*, patient: Patient, scale2: bool, reason: str, actor: Actor) -> News2Scale:
    """Mark a patient for SpO2 scale 2 of NEWS2 (or back to scale 1), audited."""
    marked, _ = News2Scale.objects.update_or_create(
        patient=patient,
        defaults={"scale2": scale2, "reason": reason, "set_by_id": actor.user_id},
    )
    record_event(
        "news2.scale_set",
        actor=actor,
        target=patient,
        organization_id=patient.organization_id,
        patient_id=patient.pk,
        details={"scale2": scale2},
    )
    return marked
