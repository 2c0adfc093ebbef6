"""Live evaluation: every committed batch of readings, whatever stored it, goes through
`evaluate_readings` once (see `telemetry.signals.readings_stored`). Set-based: the batch's
patients' places (their rows locked, so one patient's batches are evaluated one at a time),
effective rules and condition states are one query each, whatever the batch's size; only
conditions that are raised or pending are stored between batches.

Time is the readings' `recorded_at`. A reading more than `LIVE_AGE` old on arrival raises no live
alarm (a replay counts it); one no later than the last seen for its condition changes nothing.
Data from a patient's device also clears the patient's "no data" technical alarm."""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from heartmon.alarms import engine
from heartmon.alarms.models import RULE_METRICS, Condition, ConditionState, Kind, as_datetime
from heartmon.alarms.selectors import Whereabouts, effective_rules, whereabouts
from heartmon.alarms.services.alarms import Subject, apply

LIVE_AGE = timedelta(minutes=5)
_RULE_METRICS = frozenset(metric.value for metric in RULE_METRICS)


@dataclass
class Batch:
    """A batch's live readings by patient and metric, in time order, and each patient's device."""

    readings: dict[tuple[uuid.UUID, str], list[tuple[float, float]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    devices: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)

    @property
    def patients(self) -> set[uuid.UUID]:
        return {patient for patient, _ in self.readings} | set(self.devices)


def live_batch(rows: Iterable[Sequence[Any]], *, received_at: datetime) -> Batch:
    """The rows the engine looks at: a patient's, fresh enough."""
    oldest = received_at - LIVE_AGE
    batch = Batch()
    for device_id, patient_id, metric, value, recorded_at in rows:
        if patient_id is None or recorded_at < oldest:
            continue
        if device_id is not None:
            batch.devices[patient_id] = device_id
        if metric in _RULE_METRICS:
            batch.readings[patient_id, metric].append((recorded_at.timestamp(), value))
    for series in batch.readings.values():
        series.sort()
    return batch


def evaluate_readings(rows: Sequence[Sequence[Any]], *, received_at: datetime) -> None:
    batch = live_batch(rows, received_at=received_at)
    if not batch.patients:
        return
    with transaction.atomic():
        where = whereabouts(batch.patients, lock=True)
        states = load_states(batch.patients)
        changes = _rule_changes(batch, where, states)
        changes += _data_returned(batch, where, states, now=received_at.timestamp())
        save_states(states)
        for subject, change in changes:
            apply(subject, change)


def _rule_changes(
    batch: Batch, where: dict[uuid.UUID, Whereabouts], states: "States"
) -> list[tuple[Subject, engine.Change]]:
    rules = effective_rules(where) if batch.readings else {}
    changes = []
    for (patient, metric), series in batch.readings.items():
        rule = rules.get(patient, {}).get(metric)
        if rule is None:
            continue
        limits, state = rule.limits, states.get(patient, metric)
        for at, value in series:
            state, change = engine.step(state, limits, value, at)
            if change is not None:
                subject = Subject(
                    patient_id=patient,
                    organization_id=where[patient].organization_id,
                    condition=metric,
                    place_id=where[patient].place_id,
                    device_id=batch.devices.get(patient),
                    rule=rule,
                )
                changes.append((subject, change))
        states.put(patient, metric, state)
    return changes


def _data_returned(
    batch: Batch, where: dict[uuid.UUID, Whereabouts], states: "States", *, now: float
) -> list[tuple[Subject, engine.Change]]:
    changes = []
    for patient in batch.devices:
        state = states.get(patient, Condition.NO_DATA)
        if state.raised is None:
            continue
        state, change = engine.level(state, None, now)
        states.put(patient, Condition.NO_DATA, state)
        if change is not None:
            subject = Subject(
                patient_id=patient,
                organization_id=where[patient].organization_id,
                condition=Condition.NO_DATA,
                kind=Kind.TECHNICAL,
            )
            changes.append((subject, change))
    return changes


class States:
    """Condition states of some patients as loaded (locked), and those changed since."""

    def __init__(self, rows: Iterable[ConditionState]) -> None:
        self.rows = {(row.patient_id, row.condition): row for row in rows}
        self.changed: dict[tuple[uuid.UUID, str], engine.State] = {}

    def get(self, patient: uuid.UUID, condition: str) -> engine.State:
        key = (patient, condition)
        if key in self.changed:
            return self.changed[key]
        row = self.rows.get(key)
        return engine.QUIET if row is None else as_state(row)

    def put(self, patient: uuid.UUID, condition: str, state: engine.State) -> None:
        key = (patient, condition)
        if state.is_quiet and key not in self.rows:
            self.changed.pop(key, None)  # quiet, and nothing stored to remove
        elif state != self.get(patient, condition):
            self.changed[key] = state


def load_states(patients: Iterable[uuid.UUID], conditions: Iterable[str] = ()) -> States:
    """The patients' stored condition states (read once the patients are locked)."""
    rows = ConditionState.objects.filter(patient_id__in=list(patients))
    if conditions:
        rows = rows.filter(condition__in=list(conditions))
    return States(rows.order_by("pk"))


def save_states(states: States) -> None:
    """Store the changed states: a quiet one is removed, the others written in one upsert."""
    quiet = [states.rows[key].pk for key, state in states.changed.items() if state.is_quiet]
    if quiet:
        ConditionState.objects.filter(pk__in=quiet).delete()
    kept = [
        as_row(patient, condition, state)
        for (patient, condition), state in states.changed.items()
        if not state.is_quiet
    ]
    if kept:
        ConditionState.objects.bulk_create(
            kept,
            update_conflicts=True,
            unique_fields=["patient", "condition"],
            update_fields=["raised", "out_since", "extreme_since", "in_since", "last_at"],
        )


def as_state(row: ConditionState) -> engine.State:
    return engine.State(
        raised=row.raised or None,
        out_since=_seconds(row.out_since),
        extreme_since=_seconds(row.extreme_since),
        in_since=_seconds(row.in_since),
        last_at=_seconds(row.last_at),
    )


def as_row(patient: uuid.UUID, condition: str, state: engine.State) -> ConditionState:
    return ConditionState(
        patient_id=patient,
        condition=condition,
        raised=state.raised or "",
        out_since=as_datetime(state.out_since),
        extreme_since=as_datetime(state.extreme_since),
        in_since=as_datetime(state.in_since),
        last_at=as_datetime(state.last_at),
    )


def _seconds(moment: datetime | None) -> float | None:
    return None if moment is None else moment.timestamp()
