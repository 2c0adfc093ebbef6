"""Reading batches, the hot path: parse with orjson, validate a device's batch column by column,
store with one COPY (PostgreSQL) or one bulk_create (SQLite). HTTP, MQTT and ECG processing all
store through here.

Items come in our shape {metric, value, recorded_at, device?, patient?} or, unchanged, in
reference 004's {timestamp, reading, device_id, customer_id} (metric `generic` unless given).
A device's batch whose items are all valid is checked a column at a time, about a tenth of the
cost of checking items one by one. Any other batch (a person's, or one with an invalid item) is
checked item by item, resolving devices and patients in one query each, so that every rejected
item says why; a rejected item never stops the others unless the caller asks for an atomic batch.
"""

import math
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from itertools import repeat
from typing import Any, NamedTuple

import orjson
import psycopg
from django.db import connection, transaction
from django.utils import timezone

from heartmon.clinic.models import Patient
from heartmon.core.actor import Actor
from heartmon.core.errors import InvalidInput, PayloadTooLarge
from heartmon.core.time import EARLIEST, latest_measurement, measured_time, parse_time
from heartmon.devices.models import Device, DeviceAssignment
from heartmon.telemetry.models import Metric, Reading, Source

# Physiological bounds; a generic value only has to be a finite number.
# Keyed by plain strings: an enum member's hash is computed in Python, 20x slower on this path.
BOUNDS: dict[str, tuple[float, float] | None] = {
    Metric.HEART_RATE.value: (20, 300),
    Metric.SPO2.value: (50, 100),
    Metric.RESP_RATE.value: (1, 100),
    Metric.TEMPERATURE.value: (25, 45),
    Metric.GENERIC.value: None,
}
# Generous: a reference-004 item is ~150 bytes; a body larger than a full batch of these is
# refused unread (HTTP and MQTT).
MAX_BYTES_PER_ITEM = 1024
COLUMNS = ("device_id", "patient_id", "metric", "value", "recorded_at", "received_at", "source")
COPY_TYPES = ["uuid", "uuid", "varchar", "float8", "timestamptz", "timestamptz", "varchar"]


# What store_readings takes: device, patient, metric, value, recorded_at.
Row = tuple[uuid.UUID, uuid.UUID | None, str, float, datetime]


class ReadingRow(NamedTuple):
    device_id: uuid.UUID
    patient_id: uuid.UUID | None
    metric: str
    value: float
    recorded_at: datetime


@dataclass
class IngestResult:
    stored: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)  # {"index", "errors"}
    # Of a person's accepted items, for the audit (a device's batches are not audited).
    patient_ids: set[uuid.UUID] = field(default_factory=set)

    def as_dict(self) -> dict[str, Any]:
        return {"stored": self.stored, "duplicates": self.duplicates, "rejected": self.rejected}


def parse_batch(body: bytes, *, max_items: int) -> list[Any]:
    """The JSON array of a request body, or a 400/413 before anything is stored."""
    try:
        items = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"The body is not valid JSON: {exc}.", code="malformed_json") from exc
    if not isinstance(items, list):
        raise InvalidInput("Send a JSON array of readings.", code="not_an_array")
    if len(items) > max_items:
        raise PayloadTooLarge(
            f"A batch holds at most {max_items} readings; this one has {len(items)}. "
            "Split it into smaller batches."
        )
    return items


def check_value(metric: str, raw: Any) -> float:
    """The value as a float within the metric's bounds; raises ValueError with the message."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ValueError("A number is required.")
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError("Value must be a finite number.")
    bounds = BOUNDS[metric]
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        raise ValueError(f"{metric} must be between {bounds[0]:g} and {bounds[1]:g}.")
    return value


@dataclass
class _Item:
    index: int
    device_key: str | None  # as sent; resolved later in one query
    patient_key: str | None
    customer_key: str | None
    metric: str
    value: float
    recorded_at: datetime
    fields: tuple[str, str, str]  # the names this item's shape uses for device, patient, customer


OWN_FIELDS = ("device", "patient", "customer_id")
REFERENCE_FIELDS = ("device_id", "patient", "customer_id")


def _read_item(index: int, raw: Any, *, latest: datetime) -> _Item | dict[str, list[str]]:
    """One item checked on its own (shape, metric, value, time), or its errors."""
    if not isinstance(raw, dict):
        return {"non_field_errors": ["Each reading must be a JSON object."]}
    errors: dict[str, list[str]] = {}
    if "reading" in raw or "timestamp" in raw:  # reference 004's shape
        value_field, time_field, names = "reading", "timestamp", REFERENCE_FIELDS
    else:
        value_field, time_field, names = "value", "recorded_at", OWN_FIELDS
    metric = str(raw.get("metric", Metric.GENERIC.value if names is REFERENCE_FIELDS else ""))
    if metric not in BOUNDS:
        errors["metric"] = [f"Choose one of: {', '.join(BOUNDS)}."]
    value = 0.0
    if value_field not in raw:
        errors[value_field] = ["This field is required."]
    elif "metric" not in errors:
        try:
            value = check_value(metric, raw[value_field])
        except ValueError as exc:
            errors[value_field] = [str(exc)]
    moment = EARLIEST
    if time_field not in raw:
        errors[time_field] = ["This field is required."]
    else:
        try:
            moment = measured_time(raw[time_field], latest=latest)
        except ValueError as exc:
            errors[time_field] = [str(exc)]
    keys = []
    for name in names:
        key = raw.get(name)
        if key is not None and not isinstance(key, str):
            errors[name] = ["Give an id as a string."]
        keys.append(key)
    if errors:
        return errors
    return _Item(index, keys[0], keys[1], keys[2], metric, value, moment, names)


def _uuid_or_none(raw: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(raw) if raw is not None else None
    except ValueError:
        return None


def ingest_batch(
    items: Sequence[Any], *, sender: Device | None, actor: Actor, atomic: bool = False
) -> IngestResult:
    """Validate and store a batch. `sender` is the device that sent it (its items may not name
    another device), or None for a person (`actor`), whose items each name a device of their
    organization. Raises InvalidInput (with the `rejected` list) when `atomic` and any item fails.
    """
    latest = latest_measurement()
    result = IngestResult()
    rows = _clean_device_rows(items, sender=sender, latest=latest) if sender is not None else None
    if rows is None:
        rows, result.rejected = _rows_item_by_item(items, sender=sender, actor=actor, latest=latest)
    if atomic and result.rejected:
        raise InvalidInput(
            f"{len(result.rejected)} of {len(items)} readings are invalid; nothing was stored.",
            code="invalid_readings",
            extensions={"rejected": result.rejected},
        )
    if sender is None:
        result.patient_ids = {row[1] for row in rows if row[1] is not None}
    source = Source.DEVICE if sender is not None else Source.MANUAL
    result.stored = store_readings(rows, source=source)
    result.duplicates = len(rows) - result.stored
    return result


def _clean_device_rows(
    items: Sequence[Any], *, sender: Device, latest: datetime
) -> list[Row] | None:
    """A device's batch as rows, checked a column at a time, when every item is valid, all in one
    shape, and names no patient (the common case); else None, and the batch is checked item by
    item. Accepts only what `_read_item` and `_resolve` accept, with the same values."""
    if not items or not sender.is_active or set(map(type, items)) != {dict}:
        return None
    reference = _is_reference(items[0])
    if any(_is_reference(item) != reference for item in items):
        return None
    value_field, time_field, names = (
        ("reading", "timestamp", REFERENCE_FIELDS)
        if reference
        else ("value", "recorded_at", OWN_FIELDS)
    )
    metric_default = Metric.GENERIC.value if reference else None
    try:
        metrics = [item.get("metric", metric_default) for item in items]
        values = _checked_values(metrics, [item[value_field] for item in items])
        moments = _checked_moments([item[time_field] for item in items], latest=latest)
    except KeyError:  # a value or time missing
        return None
    if values is None or moments is None or not _names_only(items, names, sender=sender):
        return None
    patient_id = _current_patient(sender)
    return list(zip(repeat(sender.pk), repeat(patient_id), metrics, values, moments))


def _is_reference(item: dict[str, Any]) -> bool:
    return "reading" in item or "timestamp" in item


def _checked_values(metrics: list[Any], values: list[Any]) -> list[float] | None:
    """The values as floats when every metric is known and every value a finite number within its
    metric's bounds; else None."""
    if set(map(type, metrics)) != {str}:
        return None
    named = set(metrics)
    if not named <= BOUNDS.keys():
        return None
    kinds = set(map(type, values))
    if not kinds <= {int, float}:  # bool is a type of its own, so refused too
        return None
    if int in kinds:
        values = list(map(float, values))
    if not math.isfinite(sum(values)):  # any inf or nan (a sum too large only costs the slow way)
        return None
    for metric in named:
        bounds = BOUNDS[metric]
        if bounds is None:
            continue
        own = (
            values
            if len(named) == 1
            else [value for name, value in zip(metrics, values, strict=True) if name == metric]
        )
        if min(own) < bounds[0] or max(own) > bounds[1]:
            return None
    return values


def _checked_moments(times: list[Any], *, latest: datetime) -> list[datetime] | None:
    """The times when every one is a time from 2000 to `latest` (see `measured_time`); else
    None."""
    try:
        if set(map(type, times)) == {str}:
            moments = list(map(datetime.fromisoformat, times))
            if any(moment.tzinfo is None for moment in moments):
                moments = [
                    moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
                    for moment in moments
                ]
        else:
            moments = [parse_time(raw) for raw in times]
    except ValueError:
        return None
    if min(moments) < EARLIEST or max(moments) > latest:
        return None
    return moments


def _names_only(
    items: Sequence[dict[str, Any]], names: tuple[str, str, str], *, sender: Device
) -> bool:
    """Whether the items name no patient, and no device or organization but the sender's."""
    device_field, patient_field, customer_field = names
    try:
        devices = {item.get(device_field) for item in items}
        patients = {item.get(patient_field) for item in items}
        customers = {item.get(customer_field) for item in items}
    except TypeError:  # an unhashable id, which _read_item refuses
        return False
    return (
        patients == {None}
        and all(key is None or _is_id_of(key, sender.pk) for key in devices)
        and all(key is None or _is_id_of(key, sender.organization_id) for key in customers)
    )


def _is_id_of(key: Any, pk: uuid.UUID) -> bool:
    return isinstance(key, str) and _uuid_or_none(key) == pk


def _rows_item_by_item(
    items: Sequence[Any], *, sender: Device | None, actor: Actor, latest: datetime
) -> tuple[list[Row], list[dict[str, Any]]]:
    """The valid items as rows, and the others' rejections ({"index", "errors"}) in order."""
    rejected: list[dict[str, Any]] = []
    checked: list[_Item] = []
    for index, raw in enumerate(items):
        item = _read_item(index, raw, latest=latest)
        if isinstance(item, _Item):
            checked.append(item)
        else:
            rejected.append({"index": index, "errors": item})
    devices = _devices_for(checked, sender=sender, actor=actor)
    patients = _patients_for(checked, devices)
    current = _current_patients(devices.values())
    rows: list[Row] = []
    for item in checked:
        resolved = _resolve(item, sender=sender, devices=devices, patients=patients)
        if isinstance(resolved, dict):
            rejected.append({"index": item.index, "errors": resolved})
            continue
        device, patient_id = resolved
        rows.append(
            (
                device.pk,
                patient_id or current.get(device.pk),
                item.metric,
                item.value,
                item.recorded_at,
            )
        )
    rejected.sort(key=lambda rejection: rejection["index"])
    return rows, rejected


def _devices_for(items: list[_Item], *, sender: Device | None, actor: Actor) -> dict[str, Device]:
    """Devices the items name, by the id as sent, among those the sender or actor may use."""
    if sender is not None:
        return {str(sender.pk): sender}
    ids = {parsed for item in items if (parsed := _uuid_or_none(item.device_key))}
    found = Device.objects.visible_to(actor).filter(pk__in=ids)
    return {str(device.pk): device for device in found}


def _patients_for(items: list[_Item], devices: dict[str, Device]) -> dict[str, Patient]:
    """Patients the items name, among those of the devices' organizations."""
    ids = {parsed for item in items if (parsed := _uuid_or_none(item.patient_key))}
    if not ids:
        return {}
    organizations = {device.organization_id for device in devices.values()}
    found = Patient.objects.filter(pk__in=ids, organization_id__in=organizations)
    return {str(patient.pk): patient for patient in found}


def _current_patients(devices: Iterable[Device]) -> dict[uuid.UUID, uuid.UUID]:
    """Each device's patient now, from its open assignment."""
    assignments = DeviceAssignment.objects.open().filter(device__in=list(devices))
    return dict(assignments.values_list("device_id", "patient_id"))


def _current_patient(device: Device) -> uuid.UUID | None:
    """One device's patient now, as `_current_patients` finds it, by SQL the ORM compiles once per
    process: compiling takes several times longer than running it, and every batch asks."""
    device_id = DeviceAssignment._meta.get_field("device").get_db_prep_value(device.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(_current_patient_sql(), [device_id])
        row = cursor.fetchone()
    return None if row is None else Patient._meta.pk.to_python(row[0])


@cache
def _current_patient_sql() -> str:
    probe = uuid.UUID(int=0)
    assignment = DeviceAssignment.objects.open().filter(device_id=probe).values_list("patient_id")
    sql, params = assignment.query.sql_with_params()
    if len(params) != 1:  # the device id, then passed on each call
        raise RuntimeError(f"Unexpected parameters for the current patient: {params!r}")
    return sql


def _resolve(
    item: _Item,
    *,
    sender: Device | None,
    devices: dict[str, Device],
    patients: dict[str, Patient],
) -> tuple[Device, uuid.UUID | None] | dict[str, list[str]]:
    device_field, patient_field, customer_field = item.fields
    if sender is not None:
        if item.device_key is not None and _uuid_or_none(item.device_key) != sender.pk:
            return {device_field: ["A device sends only its own readings."]}
        device = sender
    elif item.device_key is None:
        return {device_field: ["Name the device that took this reading."]}
    elif (found := _find(devices, item.device_key)) is None:
        return {device_field: ["Unknown device."]}
    else:
        device = found
    if not device.is_active:
        return {device_field: ["This device is not active."]}
    if item.customer_key is not None and _uuid_or_none(item.customer_key) != (
        device.organization_id
    ):
        return {customer_field: ["This is not the device's organization."]}
    if item.patient_key is None:
        return device, None
    patient = _find(patients, item.patient_key)
    if patient is None or patient.organization_id != device.organization_id:
        return {patient_field: ["Unknown patient."]}
    return device, patient.pk


def _find(found: dict[str, Any], key: str) -> Any:
    parsed = _uuid_or_none(key)
    return found.get(str(parsed)) if parsed is not None else None


def store_readings(rows: Sequence[Row], *, source: str) -> int:
    """Store rows (ReadingRow or plain tuples in its order), skipping any already stored for
    (device, metric, recorded_at); returns how many were new. Durable when the surrounding
    transaction (if any) commits."""
    if not rows:
        return 0
    received_at = timezone.now()
    if connection.vendor == "postgresql":
        return _copy(rows, received_at=received_at, source=source)
    with transaction.atomic():
        return _bulk_create(rows, received_at=received_at, source=source)


def _copy(rows: Sequence[Row], *, received_at: datetime, source: str) -> int:
    """One COPY straight into the table (in a transaction of its own, or a savepoint inside the
    caller's); when it meets a reading stored before, COPY into a temporary table and insert what
    is new (twice the cost, so only then)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            _copy_into(cursor.cursor, Reading._meta.db_table, rows, received_at, source)
        return len(rows)
    except psycopg.errors.UniqueViolation:
        pass
    columns = ", ".join(COLUMNS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS telemetry_reading_batch AS "  # noqa: S608
            f"SELECT {columns} FROM {Reading._meta.db_table} WITH NO DATA"
        )
        _copy_into(cursor.cursor, "telemetry_reading_batch", rows, received_at, source)
        cursor.execute(
            f"INSERT INTO {Reading._meta.db_table} ({columns}) "  # noqa: S608 (constant names)
            f"SELECT {columns} FROM telemetry_reading_batch ON CONFLICT DO NOTHING"
        )
        stored: int = cursor.rowcount
        cursor.execute("TRUNCATE telemetry_reading_batch")
    return stored


def _copy_into(
    cursor: Any, table: str, rows: Sequence[Row], received_at: datetime, source: str
) -> None:
    tail = (received_at, source)
    with cursor.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)") as copy:
        copy.set_types(COPY_TYPES)
        for row in rows:
            copy.write_row(row + tail)


def _bulk_create(rows: Sequence[Row], *, received_at: datetime, source: str) -> int:
    """SQLite: one bulk_create ignoring conflicts; total_changes() tells how many were new."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT total_changes()")
        before = cursor.fetchone()[0]
        Reading.objects.bulk_create(
            (
                Reading(
                    device_id=device_id,
                    patient_id=patient_id,
                    metric=metric,
                    value=value,
                    recorded_at=recorded_at,
                    received_at=received_at,
                    source=source,
                )
                for device_id, patient_id, metric, value, recorded_at in rows
            ),
            ignore_conflicts=True,
            batch_size=2000,
        )
        cursor.execute("SELECT total_changes()")
        after: int = cursor.fetchone()[0]
    return after - before
