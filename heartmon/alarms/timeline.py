"""An alarm's timeline: every change is an entry and an audit event, written in the transaction
of the change; `signals.alarm_changed` follows the commit."""

from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction

from heartmon.alarms.models import Alarm, AlarmEvent
from heartmon.alarms.signals import alarm_changed
from heartmon.alarms.webhook_events import publish
from heartmon.audit.services import record_event
from heartmon.core.actor import Actor


def record(
    alarm: Alarm,
    step: str,
    *,
    at: datetime,
    actor: Actor | None = None,
    value: float | None = None,
    note: str = "",
    details: dict[str, Any] | None = None,
) -> AlarmEvent:
    """A timeline entry, its audit event, its webhook event, and the signal once committed."""
    actor = actor or Actor.of_system("alarms", organization_id=alarm.organization_id)
    event = AlarmEvent.objects.create(
        alarm=alarm,
        step=step,
        at=at,
        by_id=actor.user_id,
        priority=alarm.priority,
        value=value,
        note=note,
        details=details or {},
    )
    record_event(
        f"alarm.{step}",
        actor=actor,
        target=alarm,
        organization_id=alarm.organization_id,
        patient_id=alarm.patient_id,
        details={"condition": alarm.condition, "priority": alarm.priority, "kind": alarm.kind},
    )
    publish(alarm, event)
    transaction.on_commit(
        partial(alarm_changed.send_robust, sender=Alarm, alarm_id=alarm.pk, step=step)
    )
    return event
