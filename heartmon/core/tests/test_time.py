"""The one time parser: JSON values, query strings and forms read alike, in UTC."""

from datetime import UTC, datetime, timedelta

import pytest

from heartmon.core.time import check_measured, parse_time

NOON = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "edge", "moment"),
    [
        ("2026-11-20", "start", datetime(2026, 11, 20, tzinfo=UTC)),
        ("2026-11-20", "end", datetime(2026, 11, 21, tzinfo=UTC)),
        ("2026-11-20T08:00:00Z", "end", NOON),
        ("2026-11-20T09:00:00+01:00", "start", NOON),
        ("2026-11-20T09:00:00 01:00", "start", NOON),  # "+" sent unencoded
        ("2026-11-20T08:00:00", "start", NOON),  # naive means UTC
        ("2026-11-20 08:00", "start", NOON),
        ("1795161600", "start", NOON),
        ("1795161600000", "start", NOON),
        ("1795161600.5", "start", NOON + timedelta(milliseconds=500)),
    ],
)
def test_window_edges_are_read_in_utc(raw, edge, moment):
    parsed = parse_time(raw, edge=edge)

    assert parsed == moment
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize("raw", ["", "today", "2026-02-30", "20261120T", "9999-12-31"])
def test_unreadable_edges_say_why(raw):
    with pytest.raises(ValueError, match=r"\w"):
        parse_time(raw, edge="end")


@pytest.mark.parametrize(
    ("raw", "moment"),
    [
        (1795161600, NOON),
        (1795161600000, NOON),
        (1795161600.5, NOON + timedelta(milliseconds=500)),
        ("1795161600", NOON),
    ],
)
def test_epoch_numbers_are_seconds_or_milliseconds(raw, moment):
    assert parse_time(raw) == moment


@pytest.mark.parametrize("raw", [None, True, [], {}, float("nan"), float("inf"), 10**400])
def test_values_that_are_no_time_are_refused(raw):
    with pytest.raises(ValueError, match=r"\w"):
        parse_time(raw)


def test_a_measurement_must_lie_between_2000_and_the_latest_time_allowed():
    latest = NOON + timedelta(minutes=5)

    assert check_measured(NOON, latest=latest) == NOON
    with pytest.raises(ValueError, match="before 2000"):
        check_measured(datetime(1999, 12, 31, tzinfo=UTC), latest=latest)
    with pytest.raises(ValueError, match="future"):
        check_measured(latest + timedelta(seconds=1), latest=latest)


@pytest.mark.parametrize(
    "raw",
    [
        "0001-01-01T00:00:00+01:00",  # before year 1 in UTC
        "9999-12-31T23:59:59-01:00",  # after year 9999 in UTC
        "0001-01-01T12:00:00",
        "9999-12-31T00:00:00",
        "9" * 400,
        "-" + "9" * 400,
        "9" * 20 + ".5",
        "-99999999999",
    ],
)
def test_times_outside_the_years_a_date_holds_are_refused_as_out_of_range(raw):
    with pytest.raises(ValueError, match="out of range"):
        parse_time(raw, edge="end")


def test_a_time_a_day_inside_the_years_a_date_holds_is_read():
    assert parse_time("9999-12-30T00:00:00Z") == datetime(9999, 12, 30, tzinfo=UTC)
    assert parse_time("0001-01-02") == datetime(1, 1, 2, tzinfo=UTC)
