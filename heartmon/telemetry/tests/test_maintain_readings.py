"""`heartmon maintain_readings`: months created ahead, rows in the default partition folded into
their new month, months past the retention period dropped; a no-op on SQLite."""

from datetime import UTC, date, datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from heartmon.telemetry import partitions
from heartmon.telemetry.ingest import ReadingRow, store_readings
from heartmon.telemetry.models import Metric, Reading, Source

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="partitions exist on PostgreSQL only (set DATABASE_URL=postgres://...)",
)


def maintain() -> str:
    out = StringIO()
    call_command("maintain_readings", stdout=out)
    return out.getvalue()


def store_at(device, *moments: datetime) -> None:
    rows = [ReadingRow(device.pk, None, Metric.HEART_RATE, 70.0, moment) for moment in moments]
    store_readings(rows, source=Source.DEVICE)


def rows_in(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (our partition names)
        count: int = cursor.fetchone()[0]
    return count


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's behaviour")
def test_on_sqlite_it_says_there_is_nothing_to_do():
    assert maintain() == "sqlite: readings live in one plain table; nothing to maintain.\n"


@needs_postgres
@pytest.mark.django_db
@time_machine.travel(datetime(2031, 2, 10, 9, 0, tzinfo=UTC), tick=False)
def test_it_creates_this_month_and_three_months_ahead():
    output = maintain()

    for month in ("2031_02", "2031_03", "2031_04", "2031_05"):
        assert f"Created partition telemetry_reading_{month}.\n" in output
    assert "telemetry_reading_2031_06" not in partitions.existing_partitions()
    assert "monthly partitions" in output
    assert "kept forever" in output


@needs_postgres
@pytest.mark.django_db
@time_machine.travel(datetime(2031, 2, 10, 9, 0, tzinfo=UTC), tick=False)
def test_a_second_run_finds_nothing_to_do():
    maintain()

    assert "Partitions are up to date.\n" in maintain()


@needs_postgres
@pytest.mark.django_db
def test_rows_in_the_default_partition_move_into_their_new_month(device):
    early_reading = datetime(2031, 4, 3, 12, 0, tzinfo=UTC)
    store_at(device, early_reading, datetime(2031, 4, 30, 23, 59, 59, tzinfo=UTC))
    assert rows_in(partitions.DEFAULT_PARTITION) == 2

    with time_machine.travel(datetime(2031, 2, 1, tzinfo=UTC), tick=False):
        output = maintain()

    assert (
        "Created partition telemetry_reading_2031_04, 2 readings moved in from the default "
        "partition.\n" in output
    )
    assert rows_in(partitions.DEFAULT_PARTITION) == 0
    assert rows_in("telemetry_reading_2031_04") == 2
    assert Reading.objects.filter(recorded_at=early_reading).exists()


@needs_postgres
@pytest.mark.django_db
def test_retention_drops_old_months_and_old_rows_in_the_default_partition(settings, device):
    settings.READINGS_RETENTION_DAYS = 90
    partitions.create_month(date(2030, 6, 1))
    partitions.create_month(date(2030, 10, 1))
    store_at(
        device,
        datetime(2030, 6, 15, tzinfo=UTC),  # a month that ended long before the cutoff
        datetime(2030, 10, 20, tzinfo=UTC),  # its month ends after the cutoff: kept
        datetime(2004, 1, 1, tzinfo=UTC),  # no month of its own: in the default partition
    )

    with time_machine.travel(datetime(2031, 1, 20, tzinfo=UTC), tick=False):  # cutoff 2030-10-22
        output = maintain()

    assert "Dropped partition telemetry_reading_2030_06 (older than 90 days).\n" in output
    assert "Deleted 1 readings older than 90 days from the default partition.\n" in output
    assert "kept 90 days" in output
    assert "telemetry_reading_2030_06" not in partitions.existing_partitions()
    assert list(Reading.objects.values_list("recorded_at", flat=True)) == [
        datetime(2030, 10, 20, tzinfo=UTC)
    ]
