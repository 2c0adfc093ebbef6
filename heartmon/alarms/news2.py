"""NEWS2 (Royal College of Physicians, 2017): the National Early Warning Score from a patient's
latest values, each part with its points and age. A part with no value within the organization's
maximum age is missing and the score is incomplete (what is there still counts: a missing part
can only add). A total of 5 or more raises a medium alarm, 7 or more a high one, and a single
part scoring 3 a low one.

`score` is pure; `latest_values` reads the values, one query for any number of patients."""

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import OuterRef, Subquery

from heartmon.alarms.engine import HIGH, LOW, MEDIUM
from heartmon.clinic.models import Patient
from heartmon.telemetry.models import Metric, Reading

# The parameters in the chart's order, with the metric each is read from.
PARAMETERS = (
    ("respiration_rate", Metric.RESP_RATE),
    ("spo2", Metric.SPO2),
    ("air_or_oxygen", Metric.OXYGEN_FLOW),
    ("systolic_bp", Metric.SYSTOLIC_BP),
    ("pulse", Metric.HEART_RATE),
    ("consciousness", Metric.CONSCIOUSNESS),
    ("temperature", Metric.TEMPERATURE),
)
METRICS = frozenset(metric.value for _, metric in PARAMETERS)


@dataclass(frozen=True)
class Part:
    parameter: str
    value: float | None
    points: int | None  # None: missing or too old
    recorded_at: datetime | None
    age_seconds: float | None


@dataclass(frozen=True)
class News2:
    total: int
    parts: tuple[Part, ...]
    scale: int  # SpO2 scale 1 or 2

    @property
    def missing(self) -> list[str]:
        return [part.parameter for part in self.parts if part.points is None]

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def priority(self) -> str | None:
        if self.total >= 7:
            return HIGH
        if self.total >= 5:
            return MEDIUM
        return LOW if any(part.points == 3 for part in self.parts) else None

    def as_details(self) -> dict[str, Any]:
        return {"score": self.total, "complete": self.complete, "missing": self.missing}


def _by_upper_bounds(value: float, bounds: tuple[tuple[float, int], ...], above: int) -> int:
    for upper, points in bounds:
        if value <= upper:
            return points
    return above


def respiration_points(rate: float) -> int:
    return _by_upper_bounds(rate, ((8, 3), (11, 1), (20, 0), (24, 2)), 3)


def spo2_points(spo2: float, *, scale2: bool, on_oxygen: bool) -> int:
    if not scale2:
        return _by_upper_bounds(spo2, ((91, 3), (93, 2), (95, 1)), 0)
    if spo2 <= 87:
        return _by_upper_bounds(spo2, ((83, 3), (85, 2)), 1)
    if spo2 <= 92 or not on_oxygen:
        return 0
    return _by_upper_bounds(spo2, ((94, 1), (96, 2)), 3)


def systolic_points(pressure: float) -> int:
    return _by_upper_bounds(pressure, ((90, 3), (100, 2), (110, 1), (219, 0)), 3)


def pulse_points(rate: float) -> int:
    return _by_upper_bounds(rate, ((40, 3), (50, 1), (90, 0), (110, 1), (130, 2)), 3)


def temperature_points(celsius: float) -> int:
    return _by_upper_bounds(celsius, ((35.0, 3), (36.0, 1), (38.0, 0), (39.0, 1)), 2)


def score(
    values: dict[str, tuple[float, datetime] | None], *, scale2: bool, now: datetime
) -> News2:
    """The score of the latest values by metric (None or absent: missing)."""
    oxygen = values.get(Metric.OXYGEN_FLOW)
    on_oxygen = oxygen is not None and oxygen[0] > 0
    rules = {
        "respiration_rate": respiration_points,
        "spo2": lambda v: spo2_points(v, scale2=scale2, on_oxygen=on_oxygen),
        "air_or_oxygen": lambda v: 2 if v > 0 else 0,
        "systolic_bp": systolic_points,
        "pulse": pulse_points,
        "consciousness": lambda v: 0 if v == 0 else 3,
        "temperature": temperature_points,
    }
    parts = []
    for parameter, metric in PARAMETERS:
        found = values.get(metric)
        if found is None:
            parts.append(Part(parameter, None, None, None, None))
            continue
        value, at = found
        age = (now - at).total_seconds()
        parts.append(Part(parameter, value, rules[parameter](value), at, age))
    total = sum(part.points or 0 for part in parts)
    return News2(total, tuple(parts), 2 if scale2 else 1)


def latest_values(
    patient_ids: Collection[uuid.UUID], *, since: datetime
) -> dict[uuid.UUID, dict[str, tuple[float, datetime] | None]]:
    """Each patient's latest value and time of every NEWS2 metric since `since`: one query, two
    index lookups per metric and patient on (patient, metric, recorded_at)."""
    annotations: dict[str, Any] = {}
    for metric in METRICS:
        latest = Reading.objects.filter(
            patient_id=OuterRef("pk"), metric=metric, recorded_at__gte=since
        ).order_by("-recorded_at")
        annotations[f"{metric}__value"] = Subquery(latest.values("value")[:1])
        annotations[f"{metric}__at"] = Subquery(latest.values("recorded_at")[:1])
    rows = Patient.objects.filter(pk__in=list(patient_ids)).annotate(**annotations)
    found = {}
    for row in rows.values("pk", *annotations):
        found[row["pk"]] = {
            metric: (row[f"{metric}__value"], _aware(row[f"{metric}__at"]))
            if row[f"{metric}__value"] is not None
            else None
            for metric in METRICS
        }
    return found


def _aware(moment: Any) -> datetime:
    """A subquery's time as a datetime (SQLite hands back text)."""
    if isinstance(moment, datetime):
        return moment
    from django.utils.dateparse import parse_datetime

    parsed = parse_datetime(str(moment))
    if parsed is None:
        raise ValueError(f"Not a time: {moment!r}")
    return parsed


def scores(
    patient_ids: Collection[uuid.UUID],
    *,
    scale2: Collection[uuid.UUID],
    max_age: timedelta,
    now: datetime,
) -> dict[uuid.UUID, News2]:
    values = latest_values(patient_ids, since=now - max_age)
    return {
        patient_id: score(found, scale2=patient_id in scale2, now=now)
        for patient_id, found in values.items()
    }
