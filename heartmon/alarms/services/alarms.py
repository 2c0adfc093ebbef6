"""An alarm's life: raised, escalated, cleared (from the engine's changes), acknowledged (by a
doctor or nurse), reminded (by the timed checks) and closed. Every change is a timeline entry and
an audit event (`timeline.record`), written in the transaction of the change."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from heartmon.alarms import notifications
from heartmon.alarms.engine import CLEARED, ESCALATED, RAISED, RANK, Change
from heartmon.alarms.models import Alarm, AlarmRule, Kind, Step, as_datetime
from heartmon.alarms.timeline import record
from heartmon.core.actor import Actor
from heartmon.core.errors import Conflict
from heartmon.metrics.registry import record_alarm_raised


@dataclass(frozen=True)
class Subject:
    """What a change of the engine is about: a patient's condition, with what the alarm keeps
    of it when raised."""

    patient_id: uuid.UUID
    organization_id: uuid.UUID
    condition: str
    kind: str = Kind.PATIENT
    place_id: uuid.UUID | None = None
    device_id: uuid.UUID | None = None
    rule: AlarmRule | None = None
    latching: bool = False  # without a rule; a rule says for its own alarms
    details: dict[str, Any] = field(default_factory=dict)


def apply(subject: Subject, change: Change) -> Alarm | None:
    """An engine change made real (inside the caller's transaction)."""
    if change.kind == RAISED:
        return raise_alarm(subject, change)
    alarm = (
        Alarm.objects.select_for_update()
        .filter(patient_id=subject.patient_id, condition=subject.condition, closed_at=None)
        .first()
    )
    if alarm is None:
        return None
    if change.kind == ESCALATED:
        _escalate(alarm, change, subject)
    elif change.kind == CLEARED:
        _clear(alarm, change)
    return alarm


def raise_alarm(subject: Subject, change: Change) -> Alarm:
    """A new alarm; or, when one is still open for the condition (latched, unacknowledged), that
    one active again. The database holds one open alarm per patient and condition: a concurrent
    raise loses to the one that committed first and takes its alarm."""
    at = as_datetime(change.at) or timezone.now()
    priority = change.priority or ""
    open_alarm = _open(subject)
    if open_alarm is not None:
        return open_alarm if open_alarm.active else _raise_again(open_alarm, change, at)
    try:
        with transaction.atomic():
            alarm = Alarm.objects.create(
                organization_id=subject.organization_id,
                patient_id=subject.patient_id,
                place_id=subject.place_id,
                device_id=subject.device_id,
                rule=subject.rule,
                kind=subject.kind,
                condition=subject.condition,
                priority=priority,
                latching=subject.rule.latching if subject.rule else subject.latching,
                value=change.value,
                raised_at=at,
            )
    except IntegrityError:
        return Alarm.objects.get(
            patient_id=subject.patient_id, condition=subject.condition, closed_at=None
        )
    record(alarm, Step.RAISED, at=at, value=change.value, details=subject.details)
    record_alarm_raised(kind=alarm.kind, condition=alarm.condition, priority=alarm.priority)
    notifications.notify(alarm, reason=notifications.RAISED, at=at)
    return alarm


def _open(subject: Subject) -> Alarm | None:
    return (
        Alarm.objects.select_for_update()
        .filter(patient_id=subject.patient_id, condition=subject.condition, closed_at=None)
        .first()
    )


def _raise_again(alarm: Alarm, change: Change, at: datetime) -> Alarm:
    alarm.active, alarm.cleared_at = True, None
    if RANK[change.priority] > RANK[alarm.priority]:
        alarm.priority = change.priority or alarm.priority
    alarm.save(update_fields=["active", "cleared_at", "priority"])
    record(alarm, Step.RAISED, at=at, value=change.value, details={"again": True})
    return alarm


def _escalate(alarm: Alarm, change: Change, subject: Subject) -> None:
    at = as_datetime(change.at) or timezone.now()
    before = alarm.priority
    alarm.priority = change.priority or alarm.priority
    alarm.save(update_fields=["priority"])
    details = {"from": before, **subject.details}
    record(alarm, Step.ESCALATED, at=at, value=change.value, details=details)
    notifications.notify(alarm, reason=notifications.ESCALATED, at=at)


def _clear(alarm: Alarm, change: Change) -> None:
    at = as_datetime(change.at) or timezone.now()
    alarm.active, alarm.cleared_at = False, at
    alarm.save(update_fields=["active", "cleared_at"])
    record(alarm, Step.CLEARED, at=at, value=change.value)
    if alarm.may_close:
        close(alarm, at=at)


def close(alarm: Alarm, *, at: datetime, actor: Actor | None = None) -> None:
    alarm.closed_at = at
    alarm.save(update_fields=["closed_at"])
    record(alarm, Step.CLOSED, at=at, actor=actor)


@transaction.atomic
def acknowledge(*, alarm: Alarm, note: str, actor: Actor) -> Alarm:
    """A doctor or nurse has seen the alarm; it closes if its condition has cleared."""
    alarm = Alarm.objects.select_for_update().get(pk=alarm.pk)
    if alarm.acknowledged_at is not None or not alarm.is_open:
        raise Conflict("This alarm is already acknowledged.", code="already_acknowledged")
    now = timezone.now()
    alarm.acknowledged_at, alarm.acknowledged_by_id = now, actor.user_id
    alarm.save(update_fields=["acknowledged_at", "acknowledged_by"])
    record(alarm, Step.ACKNOWLEDGED, at=now, actor=actor, note=note)
    if alarm.may_close:
        close(alarm, at=now, actor=actor)
    return alarm


def remind(alarm: Alarm, *, at: datetime) -> None:
    """Unacknowledged past its organization's delay: the care team is reminded, the attending
    doctor and the admins are told (once per alarm)."""
    alarm.reminded_at = at
    alarm.save(update_fields=["reminded_at"])
    record(alarm, Step.REMINDED, at=at)
    notifications.notify(alarm, reason=notifications.UNACKNOWLEDGED, at=at)
