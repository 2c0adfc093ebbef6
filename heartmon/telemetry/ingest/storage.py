"""Storing checked rows: one binary COPY on PostgreSQL (an upsert only when a reading was stored
before), one bulk_create on SQLite. HTTP, MQTT and ECG analysis all store through here, and
`signals.readings_stored` tells the alarm engine once the batch is committed."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from functools import partial
from typing import Any, NamedTuple

import psycopg
from django.db import connection, transaction
from django.utils import timezone

from heartmon.metrics.registry import record_stored
from heartmon.telemetry.models import Reading
from heartmon.telemetry.signals import readings_stored

COLUMNS = ("device_id", "patient_id", "metric", "value", "recorded_at", "received_at", "source")
COPY_TYPES = ["uuid", "uuid", "varchar", "float8", "timestamptz", "timestamptz", "varchar"]

# What store_readings takes: device (None for a manual observation), patient, metric, value,
# recorded_at.
Row = tuple[uuid.UUID | None, uuid.UUID | None, str, float, datetime]


class ReadingRow(NamedTuple):
    device_id: uuid.UUID | None
    patient_id: uuid.UUID | None
    metric: str
    value: float
    recorded_at: datetime


def store_readings(rows: Sequence[Row], *, source: str) -> int:
    """Store rows (ReadingRow or plain tuples in its order), skipping any already stored for
    (device, metric, recorded_at); returns how many were new. Durable when the surrounding
    transaction (if any) commits."""
    if not rows:
        return 0
    received_at = timezone.now()
    if connection.vendor == "postgresql":
        stored = _copy(rows, received_at=received_at, source=source)
    else:
        with transaction.atomic():
            stored = _bulk_create(rows, received_at=received_at, source=source)
    record_stored(source=source, stored=stored, duplicates=len(rows) - stored)
    transaction.on_commit(
        partial(_announce, rows=rows, source=source, received_at=received_at), robust=True
    )
    return stored


def _announce(*, rows: Sequence[Row], source: str, received_at: datetime) -> None:
    readings_stored.send_robust(Reading, rows=rows, source=source, received_at=received_at)


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
