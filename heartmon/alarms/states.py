"""The engine's memory between batches: each patient's condition states (`engine.State`) as
stored rows. Only conditions that are raised or pending have a row."""

import uuid
from collections.abc import Iterable
from datetime import datetime

from heartmon.alarms import engine
from heartmon.alarms.models import ConditionState, as_datetime


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
