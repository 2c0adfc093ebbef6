"""`until=YYYY-MM-DD` includes that whole day (and `since=` is its 00:00), as `end=` on every
time-filtered endpoint."""

from datetime import UTC, datetime

import time_machine

from heartmon.audit.services import record_event

LATE = datetime(2026, 11, 20, 23, 59, tzinfo=UTC)  # the last minute of the day
DAY, DAY_BEFORE = "2026-11-20", "2026-11-19"


def test_audit_events_of_the_until_day_are_in(as_alice, alice):
    with time_machine.travel(LATE, tick=False):
        record_event("auth.login", actor=alice.as_actor())

    url = "/api/v1/audit-events/"
    listed = as_alice.get(url, {"since": DAY, "until": DAY}).json()["results"]
    before = as_alice.get(url, {"until": DAY_BEFORE}).json()["results"]

    assert [event["action"] for event in listed] == ["auth.login"]
    assert before == []
