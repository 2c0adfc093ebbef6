"""Every change of an alarm's timeline (but the `notified` step) as a webhook event of its
organization, `alarm.<step>`, enqueued in the outbox in the transaction of the change. The
payload holds ids, priority, condition, value and times: never a patient's name or number."""

import uuid
from datetime import datetime
from typing import Any

from heartmon.alarms.models import Alarm, AlarmEvent, Step
from heartmon.outbox.services import enqueue_webhook


def publish(alarm: Alarm, event: AlarmEvent) -> None:
    if event.step != Step.NOTIFIED:
        enqueue_webhook(
            organization_id=alarm.organization_id,
            event=f"alarm.{event.step}",
            payload=payload(alarm, event),
        )


def payload(alarm: Alarm, event: AlarmEvent) -> dict[str, Any]:
    return {
        "alarm": str(alarm.pk),
        "organization": str(alarm.organization_id),
        "patient": str(alarm.patient_id),
        "place": _id(alarm.place_id),
        "device": _id(alarm.device_id),
        "kind": alarm.kind,
        "condition": alarm.condition,
        "priority": alarm.priority,
        "value": alarm.value,
        "step_value": event.value,
        "at": event.at.isoformat(),
        "by": _id(event.by_id),
        "raised_at": _time(alarm.raised_at),
        "acknowledged_at": _time(alarm.acknowledged_at),
        "cleared_at": _time(alarm.cleared_at),
        "closed_at": _time(alarm.closed_at),
    }


def _id(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()
