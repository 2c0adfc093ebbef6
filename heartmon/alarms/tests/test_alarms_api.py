"""/api/v1/alarms/: open first then newest, filtered; one alarm with its timeline; acknowledge
with a note (doctors and nurses), which closes an alarm whose condition has cleared."""

from datetime import timedelta

import pytest

from heartmon.alarms.models import Alarm, Step
from heartmon.alarms.tests.support import series
from heartmon.audit.models import AuditEvent
from heartmon.core.testing import assert_problem
from heartmon.telemetry.tests.seed import NOW

URL = "/api/v1/alarms/"


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def alarm(send, monitored):
    send(series([130] * 8))
    return Alarm.objects.get()


@pytest.fixture
def closed_alarm(send, monitored):
    send(series([160] * 4 + [90] * 7, end=NOW - timedelta(seconds=30)))
    return Alarm.objects.get()


def test_a_nurse_lists_open_alarms_first_then_newest(as_bob, closed_alarm, send):
    send(series([130] * 8))

    rows = as_bob.get(URL).json()["results"]

    assert [row["state"] for row in rows] == ["open", "closed"]
    assert rows[1]["id"] == str(closed_alarm.pk)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("state=open", 1),
        ("state=closed", 1),
        ("priority=high", 1),
        ("kind=technical", 0),
        ("kind=patient", 2),
        ("condition=spo2", 0),
    ],
)
def test_alarms_are_filtered(as_bob, closed_alarm, send, query, expected):
    send(series([130] * 8))

    assert as_bob.get(f"{URL}?{query}").json()["count"] == expected


def test_the_place_filter_takes_alarms_anywhere_under_it(as_bob, alarm, ward, hospital):
    Alarm.objects.update(place=ward)

    assert as_bob.get(f"{URL}?place={hospital.pk}").json()["count"] == 1
    assert as_bob.get(f"{URL}?place={alarm.patient_id}").json()["count"] == 0


def test_a_bad_filter_is_a_400(as_bob):
    assert_problem(as_bob.get(f"{URL}?state=sleeping"), 400, field="state")
    assert_problem(as_bob.get(f"{URL}?since=yesterday"), 400, field="since")


def test_one_alarm_comes_with_its_timeline_and_the_read_is_audited(as_dana, dana, alarm):
    body = as_dana.get(f"{URL}{alarm.pk}/").json()

    assert [entry["step"] for entry in body["timeline"]] == ["raised", "notified"]
    assert body["value"] == 130
    assert AuditEvent.objects.filter(action="alarm.viewed", actor=dana).exists()


def test_a_nurse_acknowledges_with_a_note(committed, as_bob, bob, alarm):
    response = committed(as_bob.post, f"{URL}{alarm.pk}/acknowledge/", {"note": "At bedside"})

    assert response.status_code == 200, response.content
    entry = response.json()["timeline"][-1]
    assert (entry["step"], entry["by"], entry["note"]) == (
        "acknowledged",
        str(bob.pk),
        "At bedside",
    )
    assert response.json()["state"] == "open"  # the condition still holds
    assert AuditEvent.objects.filter(action="alarm.acknowledged", actor=bob).exists()


def test_acknowledging_a_cleared_latching_alarm_closes_it(committed, as_bob, closed_alarm):
    Alarm.objects.update(closed_at=None, latching=True)

    response = committed(as_bob.post, f"{URL}{closed_alarm.pk}/acknowledge/", {})

    assert response.json()["state"] == "closed"
    assert response.json()["timeline"][-1]["step"] == Step.CLOSED


def test_acknowledging_twice_is_a_conflict(committed, as_bob, alarm):
    committed(as_bob.post, f"{URL}{alarm.pk}/acknowledge/", {})

    assert_problem(as_bob.post(f"{URL}{alarm.pk}/acknowledge/", {}), 409)


def test_a_note_too_long_is_refused_and_nothing_changes(as_bob, alarm):
    response = as_bob.post(f"{URL}{alarm.pk}/acknowledge/", {"note": "x" * 2001})

    assert_problem(response, 400, field="note")
    alarm.refresh_from_db()
    assert alarm.acknowledged_at is None


def test_admins_read_but_do_not_acknowledge(as_alice, alarm):
    assert as_alice.get(f"{URL}{alarm.pk}/").status_code == 200
    assert_problem(as_alice.post(f"{URL}{alarm.pk}/acknowledge/", {}), 403)


def test_staff_and_technicians_see_no_alarms(as_sam, as_tess, alarm):
    assert_problem(as_sam.get(URL), 403)
    assert_problem(as_tess.get(f"{URL}{alarm.pk}/"), 403)


def test_another_organizations_alarm_is_not_found(as_charlie, alarm):
    assert_problem(as_charlie.get(f"{URL}{alarm.pk}/"), 404)
    assert as_charlie.get(URL).json()["count"] == 0


def test_the_list_runs_the_same_queries_for_one_alarm_or_many(
    as_bob, send, monitored, django_assert_max_num_queries
):
    for minutes in range(4, 0, -1):  # four alarms, each raised and closed
        end = NOW - timedelta(minutes=minutes)
        send(series([130] * 7 + [90] * 7, end=end))
    assert Alarm.objects.count() == 4

    with django_assert_max_num_queries(8):
        response = as_bob.get(URL)

    assert response.json()["count"] == 4
