"""Monthly partitions of the readings table on PostgreSQL: create the months ahead, fold rows that
landed in the default partition into their month, drop months past the retention period.

Rows for a month with no partition (a backfill from years ago, or a maintenance run missed) land
in `telemetry_reading_default`, so an insert never fails for want of a partition."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "telemetry_reading"
DEFAULT_PARTITION = f"{TABLE}_default"
MINUTES = f"{TABLE}_minute"  # the per-minute rollup (migration 0002)
MONTHS_AHEAD = 3


@dataclass
class MaintenanceReport:
    created: list[str] = field(default_factory=list)
    folded: dict[str, int] = field(default_factory=dict)  # partition -> rows moved from default
    dropped: list[str] = field(default_factory=list)
    purged_from_default: int = 0


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def partition_name(month: date) -> str:
    return f"{TABLE}_{month:%Y_%m}"


def is_partitioned(conn: BaseDatabaseWrapper = connection) -> bool:
    return conn.vendor == "postgresql"


def existing_partitions(conn: BaseDatabaseWrapper = connection) -> dict[str, tuple[date, date]]:
    """Monthly partitions by name, with their [from, to) months."""
    with conn.cursor() as cursor:
        cursor.execute(
            """
            SELECT child.relname
            FROM pg_inherits
            JOIN pg_class parent ON parent.oid = pg_inherits.inhparent
            JOIN pg_class child ON child.oid = pg_inherits.inhrelid
            WHERE parent.relname = %s AND child.relname <> %s
            """,
            [TABLE, DEFAULT_PARTITION],
        )
        names = [row[0] for row in cursor.fetchall()]
    months = {}
    for name in names:
        start = datetime.strptime(name.removeprefix(f"{TABLE}_"), "%Y_%m").date()
        months[name] = (start, next_month(start))
    return months


def create_month(month: date, conn: BaseDatabaseWrapper = connection) -> int:
    """Create the partition for `month`, moving any rows of that month out of the default
    partition first (PostgreSQL refuses to attach over them). Returns the rows moved."""
    start, end = month_start(month), next_month(month_start(month))
    name = partition_name(start)
    bounds = [_utc(start), _utc(end)]
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        # Check constraints too: a partition must hold its parent's to be attached.
        cursor.execute(
            f"CREATE TABLE {name} (LIKE {TABLE} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        cursor.execute(
            f"""
            WITH moved AS (
                DELETE FROM {DEFAULT_PARTITION}
                WHERE recorded_at >= %s AND recorded_at < %s RETURNING *
            )
            INSERT INTO {name} SELECT * FROM moved
            """,  # noqa: S608 (our own partition names)
            bounds,
        )
        moved = cursor.rowcount
        cursor.execute(
            f"ALTER TABLE {TABLE} ATTACH PARTITION {name} FOR VALUES FROM (%s) TO (%s)", bounds
        )
    return moved


def maintain(
    *, today: date, retention_days: int | None, conn: BaseDatabaseWrapper = connection
) -> MaintenanceReport:
    """Partitions from this month to MONTHS_AHEAD ahead, then retention."""
    report = MaintenanceReport()
    existing = existing_partitions(conn)
    month = month_start(today)
    for _ in range(MONTHS_AHEAD + 1):
        name = partition_name(month)
        if name not in existing:
            moved = create_month(month, conn)
            report.created.append(name)
            if moved:
                report.folded[name] = moved
        month = next_month(month)
    if retention_days is not None:
        _apply_retention(today - timedelta(days=retention_days), report, conn)
    return report


def _apply_retention(cutoff: date, report: MaintenanceReport, conn: BaseDatabaseWrapper) -> None:
    """Drop whole months that ended before the cutoff; delete older rows from the default, and
    the per-minute rollup of every reading now gone: all before the cutoff, or before the oldest
    month kept if it began earlier (those partition drops and direct deletes fire no trigger)."""
    kept_from = cutoff
    with conn.cursor() as cursor:
        for name, (start, end) in sorted(existing_partitions(conn).items()):
            if end <= cutoff:
                cursor.execute(f"DROP TABLE {name}")
                report.dropped.append(name)
            else:
                kept_from = min(kept_from, start)
        purge = f"DELETE FROM {DEFAULT_PARTITION} WHERE recorded_at < %s"  # noqa: S608 (constant)
        cursor.execute(purge, [_utc(cutoff)])
        report.purged_from_default = cursor.rowcount
        cursor.execute(f"DELETE FROM {MINUTES} WHERE minute < %s", [_utc(kept_from)])  # noqa: S608


def _utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)
