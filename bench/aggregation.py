"""Figure 4: 5-minute buckets of one device-day at 1 Hz and of 10 devices over a week, on a readings
table of at least 10 million rows, timed as the endpoint computes them (`aggregate_readings`),
as the SQL alone, and through the production server's endpoint."""

import http.client
import math
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

from bench.database import Monitored

DAY = timedelta(days=1)
WEEK_DEVICES = 10
WEEK_DAYS = 7
BUCKET_MINUTES = 5
READINGS_PER_DAY = 86_400
INSERT_DAY = """
INSERT INTO telemetry_reading
    (device_id, patient_id, metric, value, recorded_at, received_at, source)
SELECT %s, %s, 'heart_rate',
    round(70 + 12 * sin(extract(epoch FROM moment) / 3600) + 8 * random()), moment, moment, 'device'
FROM generate_series(%s::timestamptz, %s::timestamptz - interval '1 second', interval '1 second')
    AS moment
"""


@dataclass(frozen=True)
class Window:
    devices: Sequence[Any]
    start: datetime
    end: datetime


def filler_count(total: int) -> int:
    """Devices with one day each that bring the table to at least `total` readings."""
    week = WEEK_DEVICES * WEEK_DAYS * READINGS_PER_DAY
    return max(0, math.ceil((total - week) / READINGS_PER_DAY))


def load(week: Sequence[Monitored], filler: Sequence[Monitored], *, week_end: datetime) -> int:
    """1 Hz readings: the week devices over the 7 days before `week_end`, the filler devices over
    its last day; then VACUUM ANALYZE of the readings and their per-minute rollup, as autovacuum
    would leave tables in service (the visibility map lets the aggregate read a covering index
    alone). Returns the row count."""
    from django.db import connection

    week_start = week_end - WEEK_DAYS * DAY
    _ensure_months(week_start.date(), week_end.date())
    days = [(monitored, week_start + n * DAY) for monitored in week for n in range(WEEK_DAYS)]
    days += [(monitored, week_end - DAY) for monitored in filler]
    with connection.cursor() as cursor:
        for done, (monitored, day) in enumerate(days, start=1):
            cursor.execute(INSERT_DAY, [monitored.device.pk, monitored.patient.pk, day, day + DAY])
            _progress(f"loading readings: {done * READINGS_PER_DAY / 1e6:.1f} M")
        _progress("VACUUM ANALYZE (as autovacuum would)")
        cursor.execute("VACUUM (ANALYZE) telemetry_reading, telemetry_reading_minute")
        cursor.execute("SELECT count(*) FROM telemetry_reading")
        count: int = cursor.fetchone()[0]
    sys.stderr.write("\n")
    return count


def _ensure_months(first: date, last: date) -> None:
    from heartmon.telemetry import partitions

    existing = partitions.existing_partitions()
    month = partitions.month_start(first)
    while month <= last:
        if partitions.partition_name(month) not in existing:
            partitions.create_month(month)
        month = partitions.next_month(month)


def _progress(text: str) -> None:
    sys.stderr.write(f"\r  {text:<60}")
    sys.stderr.flush()


def median_ms(run: Callable[[], object], *, runs: int, warmup: int = 3) -> float:
    for _ in range(warmup):
        run()
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        run()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times)


def aggregate(window: Window) -> list[dict[str, Any]]:
    from heartmon.telemetry.queries import aggregate_readings

    return aggregate_readings(
        devices=window.devices,
        metric="heart_rate",
        start=window.start,
        end=window.end,
        bucket_minutes=BUCKET_MINUTES,
    ).data


def captured_sql(window: Window) -> str:
    """The one aggregate statement `aggregate_readings` runs, as sent to the database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        aggregate(window)
    statements = [query["sql"] for query in captured.captured_queries]
    if len(statements) != 1:
        raise RuntimeError(f"aggregate_readings ran {len(statements)} queries, not one")
    return statements[0]


def run_sql(statement: str) -> Callable[[], object]:
    from django.db import connection

    def execute() -> object:
        with connection.cursor() as cursor:
            cursor.execute(statement)
            return cursor.fetchall()

    return execute


def get_endpoint(url: str, token: str, window: Window, *, device: Any) -> Callable[[], object]:
    """GET /api/v1/readings/aggregate/ on a keep-alive connection (audited, like every read)."""
    query: dict[str, str] = {
        "start": window.start.astimezone(UTC).isoformat(),
        "end": window.end.astimezone(UTC).isoformat(),
        "bucket_minutes": str(BUCKET_MINUTES),
    }
    if device is not None:
        query["device"] = str(device.pk)
    path = f"/api/v1/readings/aggregate/?{urlencode(query)}"
    connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=60)
    headers = {"Authorization": f"Bearer {token}"}

    def get() -> object:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"aggregate answered {response.status}: {body[:300]!r}")
        return body

    return get
