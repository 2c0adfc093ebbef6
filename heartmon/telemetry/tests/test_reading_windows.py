"""Bucket edges in the database: a reading belongs to the bucket it falls in, to the
microsecond, on SQLite and PostgreSQL alike."""

from datetime import timedelta

from heartmon.telemetry.queries import aggregate_readings
from heartmon.telemetry.tests.seed import T0, seed


def test_a_reading_at_the_last_microsecond_of_a_bucket_stays_in_it(device):
    seed(device, values=(10, 20), start=T0 + timedelta(minutes=5) - timedelta(microseconds=1))

    aggregation = aggregate_readings(
        devices=[device],
        metric="heart_rate",
        start=T0,
        end=T0 + timedelta(minutes=10),
        bucket_minutes=5,
        stats=["count"],
    )

    assert aggregation.data[0]["aggregated_values"] == [
        {"from": "2026-11-20T08:00:00+00:00", "value": 10.0, "count": 1},
        {"from": "2026-11-20T08:05:00+00:00", "value": 20.0, "count": 1},
    ]


def test_a_start_with_a_fraction_of_a_second_counts_from_the_whole_second(device):
    seed(device, values=(10,), start=T0)

    aggregation = aggregate_readings(
        devices=[device],
        metric="heart_rate",
        start=T0 + timedelta(microseconds=300),
        end=T0 + timedelta(minutes=5),
        bucket_minutes=5,
    )

    assert aggregation.data[0]["from"] == "2026-11-20T08:00:00+00:00"
    assert aggregation.data[0]["aggregated_values"][0]["value"] == 10.0
