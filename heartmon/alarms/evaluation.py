"""Live evaluation: every committed batch of readings, whatever stored it, goes through
`evaluate_readings` once (see `telemetry.signals.readings_stored`). Set-based: the batch's
patients' places (their rows locked, so one patient's batches are evaluated one at a time),
effective rules and condition states are one query each, whatever the batch's size; only
conditions that are raised or pending are stored between batches. A batch that cannot change
anything (`may_change`) stops after one.

Time is the readings' `recorded_at`. A reading more than `LIVE_AGE` old on arrival raises no live
alarm (a replay counts it); one no later than the last seen for its condition changes nothing.
Data from a patient's device also clears the patient's "no data" technical alarm; observations
entered by hand update the patient's NEWS2 (devices' values count at the timed checks)."""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from heartmon.alarms import engine, hot
from heartmon.alarms.models import RULE_METRICS, Condition, Kind
from heartmon.alarms.news2 import METRICS as NEWS2_METRICS
from heartmon.alarms.selectors import Whereabouts, effective_rules, whereabouts
from heartmon.alarms.services.alarms import Subject, apply
from heartmon.alarms.services.scores import evaluate_news2
from heartmon.alarms.states import States, load_states, save_states

LIVE_AGE = timedelta(minutes=5)
_RULE_METRICS = frozenset(metric.value for metric in RULE_METRICS)


@dataclass
class Batch:
    """A batch's live readings by patient and metric, in time order, and each patient's device."""

    readings: dict[tuple[uuid.UUID, str], list[tuple[float, float]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    devices: dict[uuid.UUID, uuid.UUID] = field(default_factory=dict)
    observed: set[uuid.UUID] = field(default_factory=set)  # with a manual NEWS2 parameter

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
        elif metric in NEWS2_METRICS:
            batch.observed.add(patient_id)
        if metric in _RULE_METRICS:
            batch.readings[patient_id, metric].append((recorded_at.timestamp(), value))
    for series in batch.readings.values():
        series.sort()
    return batch


def evaluate_readings(rows: Sequence[Sequence[Any]], *, received_at: datetime) -> None:
    batch = live_batch(rows, received_at=received_at)
    if not batch.patients or not may_change(batch):
        return
    with transaction.atomic():
        where = whereabouts(batch.patients, lock=True)
        states = load_states(batch.patients)
        changes = _rule_changes(batch, where, states)
        changes += _data_returned(batch, where, states, now=received_at.timestamp())
        save_states(states)
        for subject, change in changes:
            apply(subject, change)
    if batch.observed:
        evaluate_news2(batch.observed, now=received_at)


def may_change(batch: Batch) -> bool:
    """Whether the batch can change anything: a reading out of its patient's band, a patient
    with a condition raised or pending, or observations for NEWS2. The common batch (values in
    band, nothing pending) is settled here in one small query (see `hot`), with no transaction or
    lock."""
    if batch.observed or hot.any_pending(batch.patients):
        return True
    kept = hot.limits_for(batch.patients)
    for (patient, metric), series in batch.readings.items():
        limits = kept.get(patient, {}).get(metric)
        if limits is not None and any(engine.band(limits, v) >= engine.OUT for _, v in series):
            return True
    return False


def _rule_changes(
    batch: Batch, where: dict[uuid.UUID, Whereabouts], states: States
) -> list[tuple[Subject, engine.Change]]:
    rules = effective_rules(where) if batch.readings else {}
    changes = []
    for (patient, metric), series in batch.readings.items():
        rule = rules.get(patient, {}).get(metric)
        if rule is None:
            continue
        limits, state = rule.limits, states.get(patient, metric)
        for at, value in series:
            if state.is_quiet and engine.band(limits, value) < engine.OUT:
                continue  # in band and nothing pending: the step would change nothing
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
    batch: Batch, where: dict[uuid.UUID, Whereabouts], states: States, *, now: float
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
