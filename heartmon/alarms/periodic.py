"""The timed checks: what happens when time passes without a reading. A device of an admitted
patient silent for the organization's `no_data_seconds` raises a medium technical alarm; a
condition delay or clear delay that runs out without a new reading acts as one would have; an
alarm unacknowledged past its organization's delay is escalated (reminders); NEWS2 is worked out
afresh for every admitted patient (parts age out, devices' values change).

Run every few seconds by Celery beat in production (`heartmon.alarms.tasks`) and by
`heartmon run_periodic` in the demo. Two runs at once do nothing twice: each takes the patients
and alarms it works on with `select_for_update(skip_locked=True)`, so a row another run (or a
batch being evaluated) holds is left to it, and what one run changed the other then sees."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Count, Max

from heartmon.alarms import engine
from heartmon.alarms.evaluation import LIVE_AGE
from heartmon.alarms.models import (
    RULE_METRICS,
    Alarm,
    AlarmSettings,
    Condition,
    ConditionState,
    Kind,
    Priority,
)
from heartmon.alarms.selectors import Whereabouts, effective_rules, whereabouts
from heartmon.alarms.services.alarms import Subject, apply, remind
from heartmon.alarms.services.scores import evaluate_news2
from heartmon.alarms.states import States, load_states, save_states
from heartmon.clinic.models import Admission
from heartmon.devices.models import DeviceAssignment
from heartmon.metrics.registry import record_open_alarms
from heartmon.telemetry.models import Reading

DEFAULTS = AlarmSettings()  # for an organization without settings of its own


@dataclass
class CheckReport:
    changes: int = 0
    reminders: int = 0


def run_timed_checks(*, now: datetime, news2: bool = True) -> CheckReport:
    report = CheckReport()
    report.changes += check_no_data(now=now)
    report.changes += check_delays(now=now)
    report.reminders += check_reminders(now=now)
    if news2:
        evaluate_news2(admitted_patients(), now=now)
    count_open_alarms()
    return report


def count_open_alarms() -> None:
    """The open-alarms gauge, from the database (every priority, zero included)."""
    counts = dict(Alarm.objects.open().values_list("priority").annotate(n=Count("pk")).order_by())
    record_open_alarms({priority: counts.get(priority, 0) for priority in Priority.values})


def admitted_patients() -> list[uuid.UUID]:
    admissions = Admission.objects.filter(discharged_at__isnull=True)
    return list(admissions.values_list("patient_id", flat=True))


def settings_of(organization_ids: set[uuid.UUID]) -> dict[uuid.UUID, AlarmSettings]:
    found = AlarmSettings.objects.filter(organization_id__in=list(organization_ids))
    kept = {row.organization_id: row for row in found}
    return {pk: kept.get(pk, DEFAULTS) for pk in organization_ids}


def check_no_data(*, now: datetime) -> int:
    """Raise "no data" for admitted patients' silent devices; clear it where data came back."""
    watched = list(
        DeviceAssignment.objects.open()
        .filter(admission__isnull=False, admission__discharged_at__isnull=True)
        .values_list("patient_id", "device_id", "started_at", "device__organization_id")
    )
    if not watched:
        return 0
    limits = settings_of({row[3] for row in watched})
    lookback = max(entry.no_data_seconds for entry in limits.values())
    last = dict(
        Reading.objects.filter(
            device_id__in=[row[1] for row in watched],
            recorded_at__gte=now - timedelta(seconds=lookback),
        )
        .values("device_id")
        .annotate(last=Max("recorded_at"))
        .values_list("device_id", "last")
    )
    silent = {}
    for patient_id, device_id, started_at, organization_id in watched:
        quiet_since = max(filter(None, [started_at, last.get(device_id)]))
        cutoff = now - timedelta(seconds=limits[organization_id].no_data_seconds)
        silent[patient_id] = (device_id, quiet_since <= cutoff)
    return _apply_no_data(silent, now=now)


def _apply_no_data(silent: dict[uuid.UUID, tuple[uuid.UUID, bool]], *, now: datetime) -> int:
    changes = []
    with transaction.atomic():
        where = whereabouts(list(silent), lock=True, skip_locked=True)
        states = load_states(where, [Condition.NO_DATA])
        for patient_id, entry in where.items():
            device_id, is_silent = silent[patient_id]
            priority = Priority.MEDIUM.value if is_silent else None
            state = states.get(patient_id, Condition.NO_DATA)
            state, change = engine.level(state, priority, now.timestamp())
            states.put(patient_id, Condition.NO_DATA, state)
            if change is not None:
                subject = Subject(
                    patient_id=patient_id,
                    organization_id=entry.organization_id,
                    condition=Condition.NO_DATA,
                    kind=Kind.TECHNICAL,
                    place_id=entry.place_id,
                    device_id=device_id,
                )
                changes.append((subject, change))
        save_states(states)
        for subject, change in changes:
            apply(subject, change)
    return len(changes)


def check_delays(*, now: datetime) -> int:
    """Pending conditions whose delay ran out, and raised ones whose clear delay did, with no
    reading since (states older than a live reading's age are left)."""
    pending = ConditionState.objects.filter(
        condition__in=RULE_METRICS, last_at__gte=now - LIVE_AGE
    ).exclude(out_since=None, in_since=None)
    patients = set(pending.values_list("patient_id", flat=True))
    if not patients:
        return 0
    with transaction.atomic():
        where = whereabouts(patients, lock=True, skip_locked=True)
        states = load_states(where, RULE_METRICS)
        changes = _ticked(states, where, now=now)
        save_states(states)
        for subject, change in changes:
            apply(subject, change)
    return len(changes)


def _ticked(
    states: States, where: dict[uuid.UUID, Whereabouts], *, now: datetime
) -> list[tuple[Subject, engine.Change]]:
    """Each stored state moved on to `now` under its patient's rule; the changes."""
    rules = effective_rules(where)
    changes = []
    for patient_id, condition in list(states.rows):
        rule = rules.get(patient_id, {}).get(condition)
        if rule is None:
            continue
        state = states.get(patient_id, condition)
        state, change = engine.tick(state, rule.limits, now.timestamp())
        states.put(patient_id, condition, state)
        if change is not None:
            subject = Subject(
                patient_id=patient_id,
                organization_id=where[patient_id].organization_id,
                condition=condition,
                place_id=where[patient_id].place_id,
                rule=rule,
            )
            changes.append((subject, change))
    return changes


def check_reminders(*, now: datetime) -> int:
    """High and medium alarms unacknowledged past their organization's delay: reminded once."""
    with transaction.atomic():
        due = list(
            Alarm.objects.open()
            .filter(
                acknowledged_at=None,
                reminded_at=None,
                priority__in=[Priority.HIGH, Priority.MEDIUM],
            )
            .select_for_update(skip_locked=True, of=("self",))
        )
        limits = settings_of({alarm.organization_id for alarm in due})
        reminded = 0
        for alarm in due:
            entry = limits[alarm.organization_id]
            delay = (
                entry.high_escalation_seconds
                if alarm.priority == Priority.HIGH
                else entry.medium_escalation_seconds
            )
            if alarm.raised_at <= now - timedelta(seconds=delay):
                remind(alarm, at=now)
                reminded += 1
    return reminded
