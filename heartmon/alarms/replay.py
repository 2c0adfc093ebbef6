"""What-if replay: the alarms a set of rules would have raised over stored readings, worked out by
the live engine's own state machine (`engine.step`) without writing anything. Used by
`POST /api/v1/alarm-rules/replay/`, `heartmon alarms replay` and the benchmark.

A replay steps through readings in time order; the timed checks' role (a delay running out with
no new reading) is left out, so an episode is confirmed by the readings themselves. While a
condition is quiet, readings inside the limits cannot change it: the replay jumps from one
out-of-band reading to the next (found with numpy), which makes a patient-day at 1 Hz a matter of
milliseconds when the patient is mostly well."""

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import numpy as np
from django.db import connection

from heartmon.alarms import engine
from heartmon.alarms.models import RULE_METRICS
from heartmon.telemetry.models import Reading

_RULE_METRICS = [metric.value for metric in RULE_METRICS]


@dataclass
class Episode:
    """One alarm a replay raised: from raised to cleared (None: still raised at the end)."""

    patient_id: uuid.UUID | None
    metric: str
    priority: str
    raised_at: float
    cleared_at: float | None = None
    escalated_at: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "patient": str(self.patient_id) if self.patient_id else None,
            "metric": self.metric,
            "priority": self.priority,
            "raised_at": _iso(self.raised_at),
            "cleared_at": _iso(self.cleared_at),
            "escalated_at": _iso(self.escalated_at),
            "duration_seconds": (
                None if self.cleared_at is None else round(self.cleared_at - self.raised_at, 3)
            ),
        }


def replay_series(
    limits: engine.Limits,
    times: np.ndarray,
    values: np.ndarray,
    *,
    metric: str = "",
    patient_id: uuid.UUID | None = None,
) -> list[Episode]:
    """The episodes one series (times in epoch seconds, ascending) raises under `limits`."""
    interesting = np.flatnonzero(_out_of_band(limits, values))
    episodes: list[Episode] = []
    state, index, count = engine.QUIET, 0, len(times)
    while index < count:
        if state.is_quiet:
            next_out = np.searchsorted(interesting, index)
            if next_out == len(interesting):
                break
            index = int(interesting[next_out])
        state, change = engine.step(state, limits, float(values[index]), float(times[index]))
        if change is not None:
            _record(episodes, change, metric=metric, patient_id=patient_id)
        index += 1
    return episodes


def _out_of_band(limits: engine.Limits, values: np.ndarray) -> np.ndarray:
    out = np.zeros(len(values), dtype=bool)
    if limits.low is not None:
        out |= values < limits.low
    if limits.high is not None:
        out |= values > limits.high
    if limits.extreme_low is not None:
        out |= values <= limits.extreme_low
    if limits.extreme_high is not None:
        out |= values >= limits.extreme_high
    return out


def _record(
    episodes: list[Episode], change: engine.Change, *, metric: str, patient_id: uuid.UUID | None
) -> None:
    if change.kind == engine.RAISED:
        priority = change.priority or ""
        episodes.append(Episode(patient_id, metric, priority, change.at))
    elif change.kind == engine.ESCALATED:
        episodes[-1].priority = change.priority or episodes[-1].priority
        episodes[-1].escalated_at = change.at
    else:
        episodes[-1].cleared_at = change.at


@dataclass
class Series:
    times: list[float] | np.ndarray = field(default_factory=list)  # epoch seconds, ascending
    values: list[float] | np.ndarray = field(default_factory=list)


# A reading's time as epoch seconds, computed by the database (double precision on both).
EPOCH = {
    "postgresql": "date_part('epoch', recorded_at)",
    "sqlite": "(julianday(recorded_at) - 2440587.5) * 86400.0",
}


def load_series(
    patient_ids: Collection[uuid.UUID], *, start: datetime, end: datetime
) -> dict[tuple[uuid.UUID, str], Series]:
    """The patients' readings of the rule metrics in [start, end), by patient and metric, in
    time order (every reading, however late it arrived): one index range per patient and metric,
    times as epoch seconds from the database straight into numpy (a patient-day at 1 Hz of four
    vitals is 345,600 readings)."""
    table = Reading._meta.db_table
    sql = (
        f"SELECT {EPOCH[connection.vendor]}, value FROM {table} "  # noqa: S608 (constants)
        "WHERE patient_id = %s AND metric = %s AND recorded_at >= %s AND recorded_at < %s "
        "ORDER BY recorded_at"
    )
    found: dict[tuple[uuid.UUID, str], Series] = {}
    patient_field = Reading._meta.get_field("patient")
    with connection.cursor() as cursor:
        for patient_id in patient_ids:
            key = patient_field.get_db_prep_value(patient_id, connection)
            for metric in _RULE_METRICS:
                bounds = [_db_time(start), _db_time(end)]
                cursor.execute(sql, [key, metric, *bounds])
                rows = np.asarray(cursor.fetchall(), dtype=float)
                if len(rows):
                    found[patient_id, metric] = Series(rows[:, 0], rows[:, 1])
    return found


def _db_time(moment: datetime) -> Any:
    return Reading._meta.get_field("recorded_at").get_db_prep_value(moment, connection)


def replay(
    series: dict[tuple[uuid.UUID, str], Series],
    rules: dict[uuid.UUID, dict[str, engine.Limits]],
) -> list[Episode]:
    """Every episode of every patient's series under that patient's rules."""
    episodes: list[Episode] = []
    for (patient_id, metric), found in sorted(series.items(), key=lambda item: str(item[0])):
        limits = rules.get(patient_id, {}).get(metric)
        if limits is None:
            continue
        episodes += replay_series(
            limits,
            np.asarray(found.times, dtype=float),
            np.asarray(found.values, dtype=float),
            metric=metric,
            patient_id=patient_id,
        )
    return episodes


def summary(episodes: Sequence[Episode], *, readings: int) -> dict[str, Any]:
    """The answer: every episode, and counts per metric."""
    per_metric: dict[str, dict[str, Any]] = {}
    for metric in _RULE_METRICS:
        mine = [episode for episode in episodes if episode.metric == metric]
        per_metric[metric] = {
            "alarms": len(mine),
            "by_priority": {
                priority: sum(1 for episode in mine if episode.priority == priority)
                for priority in (engine.HIGH, engine.MEDIUM, engine.LOW)
            },
        }
    return {
        "readings": readings,
        "alarms": len(episodes),
        "per_metric": per_metric,
        "episodes": [episode.as_dict() for episode in episodes],
    }


def _iso(seconds: float | None) -> str | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, tz=UTC).isoformat()
