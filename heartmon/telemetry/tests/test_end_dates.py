"""`end=YYYY-MM-DD` includes that whole day (and `start=` is its 00:00), as on every
time-filtered endpoint: `start=D&end=D` is the day D."""

from datetime import UTC, datetime

import pytest

from heartmon.telemetry.tests.seed import seed

LATE = datetime(2026, 11, 20, 23, 59, tzinfo=UTC)  # the last minute of the day
DAY, DAY_BEFORE = "2026-11-20", "2026-11-19"


@pytest.fixture(autouse=True)
def _next_morning(time_machine):
    time_machine.move_to(datetime(2026, 11, 21, 9, 0, tzinfo=UTC), tick=False)


@pytest.fixture
def late_reading(monitored, patient):
    return seed(monitored, patient, start=LATE)[0]


@pytest.mark.parametrize("url", ["/api/v1/readings/", "/api/v1/heart-rates/"])
def test_readings_of_the_end_day_are_in(as_bob, late_reading, url):
    listed = as_bob.get(url, {"start": DAY, "end": DAY}).json()["results"]
    before = as_bob.get(url, {"end": DAY_BEFORE}).json()["results"]

    assert [row["id"] for row in listed] == [late_reading.pk]
    assert before == []


def test_aggregates_of_the_end_day_are_in(as_bob, late_reading, monitored):
    query = {"device": monitored.pk, "start": DAY, "end": DAY, "bucket_minutes": 60}
    data = as_bob.get("/api/v1/readings/aggregate/", query).json()["data"]

    assert [bucket["from"] for bucket in data[0]["aggregated_values"]] == [
        "2026-11-20T23:00:00+00:00"
    ]
