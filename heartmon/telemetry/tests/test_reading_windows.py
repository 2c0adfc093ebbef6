"""Window edges from query strings, and bucket edges in the database: a reading belongs to the
bucket it falls in, to the microsecond, on SQLite and PostgreSQL alike."""

from datetime import UTC, datetime, timedelta

import pytest

from heartmon.telemetry.queries import aggregate_readings, parse_moment
from heartmon.telemetry.tests.seed import T0, seed


@pytest.mark.parametrize(
    ("raw", "edge", "moment"),
    [
        ("2026-11-20", "start", datetime(2026, 11, 20, tzinfo=UTC)),
        ("2026-11-20", "end", datetime(2026, 11, 21, tzinfo=UTC)),
        ("2026-11-20T08:00:00Z", "end", T0),
        ("2026-11-20T09:00:00+01:00", "start", T0),
        ("2026-11-20T09:00:00 01:00", "start", T0),  # "+" sent unencoded
        ("2026-11-20T08:00:00", "start", T0),  # naive means UTC
        ("2026-11-20 08:00", "start", T0),
        ("1795161600", "start", T0),
        ("1795161600000", "start", T0),
        ("1795161600.5", "start", T0 + timedelta(milliseconds=500)),
    ],
)
def test_window_edges_are_read_in_utc(raw, edge, moment):
    parsed = parse_moment(raw, edge=edge)

    assert parsed == moment
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize("raw", ["", "today", "2026-02-30", "20261120T", "9999-12-31"])
def test_unreadable_edges_say_why(raw):
    with pytest.raises(ValueError, match=r"\w"):
        parse_moment(raw, edge="end")


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
