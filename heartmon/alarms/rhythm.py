"""Alarms from the ECG's rhythm events (issues 11 and 14): an asystole (no beat for 4 s or more)
raises a high-priority patient alarm that latches (it stays until acknowledged), a pause (3 s or
more) a medium one that does not. Live chunks raise them; the analysis of a whole recording
raises only for events that ended within the last 5 minutes (as for readings) and not for a
recording its live chunks already alarmed. A live chunk without a pause clears both conditions
(the beats resumed); the latched asystole closes once acknowledged."""

import uuid
from datetime import datetime, timedelta
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from heartmon.alarms.engine import CLEARED, HIGH, MEDIUM, RAISED, Change
from heartmon.alarms.models import Alarm, AlarmEvent, Condition
from heartmon.alarms.selectors import whereabouts
from heartmon.alarms.services.alarms import Subject, apply
from heartmon.ecg.events import RhythmEvent
from heartmon.ecg.models import Recording

MAX_AGE = timedelta(minutes=5)


class Alarming(NamedTuple):
    condition: str
    priority: str
    latching: bool


ALARMING = {
    "asystole": Alarming(Condition.ASYSTOLE, HIGH, latching=True),
    "pause": Alarming(Condition.PAUSE, MEDIUM, latching=False),
}


def on_rhythm_analysed(
    *, recording: Recording, events: list[RhythmEvent], live: bool, now: datetime | None = None
) -> list[Alarm]:
    """The alarms a stretch of a recording's rhythm events raise (see the module)."""
    cutoff = (now or timezone.now()) - MAX_AGE
    recent = [event for event in events if _end(event) >= cutoff]
    if not live and _already_alarmed(recording):
        return []
    with transaction.atomic():
        where = whereabouts([recording.patient_id], lock=True).get(recording.patient_id)
        if where is None:
            return []
        raised = [_raise(recording, event, where.place_id) for event in recent]
        if live and not events:
            _clear(recording, at=recording.end_time)
    return [alarm for alarm in raised if alarm is not None]


def _raise(recording: Recording, event: RhythmEvent, place_id: uuid.UUID | None) -> Alarm | None:
    alarming = ALARMING[event.kind]
    subject = Subject(
        patient_id=recording.patient_id,
        organization_id=recording.organization_id,
        condition=alarming.condition,
        place_id=place_id,
        device_id=recording.device_id,
        latching=alarming.latching,
        details={
            "recording": str(recording.pk),
            "start": event.start.isoformat(),
            "duration_s": round(float(event.duration_s), 2),
        },
    )
    change = Change(RAISED, event.start.timestamp(), alarming.priority, event.duration_s)
    return apply(subject, change)


def _clear(recording: Recording, *, at: datetime) -> None:
    for alarming in ALARMING.values():
        subject = Subject(
            patient_id=recording.patient_id,
            organization_id=recording.organization_id,
            condition=alarming.condition,
        )
        if _active(subject):
            apply(subject, Change(CLEARED, at.timestamp(), None, None))


def _active(subject: Subject) -> bool:
    return Alarm.objects.filter(
        patient_id=subject.patient_id, condition=subject.condition, closed_at=None, active=True
    ).exists()


def _already_alarmed(recording: Recording) -> bool:
    return AlarmEvent.objects.filter(
        alarm__patient_id=recording.patient_id, details__recording=str(recording.pk)
    ).exists()


def _end(event: RhythmEvent) -> datetime:
    return event.start + timedelta(seconds=event.duration_s)
