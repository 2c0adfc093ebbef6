"""NEWS2 (RCP 2017): each parameter's points, scale 2, missing and old parts, the endpoint, and
its alarms (5 or more medium, 7 or more high, a single part of 3 low)."""

from datetime import timedelta

import pytest

from heartmon.alarms.engine import HIGH, LOW, MEDIUM
from heartmon.alarms.models import Alarm, AlarmSettings, News2Scale
from heartmon.alarms.news2 import score, spo2_points
from heartmon.audit.models import AuditEvent
from heartmon.core.testing import assert_problem
from heartmon.telemetry.tests.seed import NOW

NORMAL = {
    "resp_rate": 16,
    "spo2": 97,
    "oxygen_flow": 0,
    "systolic_bp": 125,
    "heart_rate": 72,
    "consciousness": 0,
    "temperature": 37.0,
}


def scored(values, *, scale2=False, age=timedelta(minutes=5)):
    return score({k: (v, NOW - age) for k, v in values.items()}, scale2=scale2, now=NOW)


@pytest.mark.parametrize(
    ("changes", "total"),
    [
        ({}, 0),
        ({"resp_rate": 8}, 3),
        ({"resp_rate": 22}, 2),
        ({"spo2": 93}, 2),
        ({"oxygen_flow": 2}, 2),
        ({"systolic_bp": 100}, 2),
        ({"systolic_bp": 220}, 3),
        ({"heart_rate": 115}, 2),
        ({"heart_rate": 40}, 3),
        ({"consciousness": 2}, 3),
        ({"temperature": 38.5}, 1),
        ({"temperature": 39.1}, 2),
        ({"temperature": 35.0}, 3),
        ({"resp_rate": 24, "spo2": 93, "heart_rate": 115, "temperature": 38.5}, 7),
    ],
)
def test_each_parameter_scores_as_the_chart_says(changes, total):
    assert scored({**NORMAL, **changes}).total == total


def test_scale_2_scores_high_saturation_only_on_oxygen():
    assert spo2_points(89, scale2=True, on_oxygen=False) == 0
    assert spo2_points(97, scale2=True, on_oxygen=False) == 0
    assert spo2_points(97, scale2=True, on_oxygen=True) == 3
    assert spo2_points(85, scale2=True, on_oxygen=True) == 2
    assert spo2_points(89, scale2=False, on_oxygen=False) == 3


def test_priorities_follow_the_thresholds():
    assert scored({**NORMAL, "resp_rate": 22, "heart_rate": 115, "spo2": 95}).priority == MEDIUM
    assert scored({**NORMAL, "consciousness": 1}).priority == LOW
    assert scored({**NORMAL, "resp_rate": 25, "spo2": 91, "oxygen_flow": 2}).priority == HIGH
    assert scored(NORMAL).priority is None


def test_a_missing_part_makes_the_score_incomplete_and_says_which():
    result = scored({k: v for k, v in NORMAL.items() if k != "systolic_bp"})

    assert not result.complete
    assert result.missing == ["systolic_bp"]


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def observe(committed, client, patient, *, minutes_ago=0, **values):
    """Enter observations (consciousness as its ACVPU letter, as the endpoint takes it)."""
    if isinstance(values.get("consciousness"), int):
        values["consciousness"] = "ACVPU"[values["consciousness"]]
    at = (NOW - timedelta(minutes=minutes_ago)).isoformat()
    response = committed(
        client.post,
        f"/api/v1/patients/{patient.pk}/observations/",
        {"recorded_at": at, **values},
    )
    assert response.status_code == 201, response.content


def news2(client, patient):
    response = client.get(f"/api/v1/patients/{patient.pk}/news2/")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_endpoint_gives_the_score_its_parts_and_their_ages(committed, as_bob, admitted):
    observe(committed, as_bob, admitted, minutes_ago=10, **{**NORMAL, "consciousness": "A"})

    body = news2(as_bob, admitted)

    assert (body["score"], body["complete"], body["scale"]) == (0, True, 1)
    pulse = next(part for part in body["parts"] if part["parameter"] == "pulse")
    assert (pulse["value"], pulse["points"], pulse["age_seconds"]) == (72, 0, 600)
    assert AuditEvent.objects.filter(action="news2.viewed", patient_id=admitted.pk).exists()


def test_a_part_older_than_the_maximum_age_is_missing(committed, as_bob, admitted):
    AlarmSettings.objects.filter(organization=admitted.organization).update(
        news2_max_age_minutes=60
    )
    observe(committed, as_bob, admitted, minutes_ago=90, temperature=37.0)
    observe(committed, as_bob, admitted, minutes_ago=5, resp_rate=16, spo2=97)

    body = news2(as_bob, admitted)

    assert "temperature" in body["missing"]
    assert not body["complete"]


def test_a_score_of_5_raises_a_medium_alarm_and_7_escalates_it(committed, as_bob, admitted):
    observe(
        committed,
        as_bob,
        admitted,
        minutes_ago=2,
        **{**NORMAL, "resp_rate": 22, "heart_rate": 115, "spo2": 95},
    )
    alarm = Alarm.objects.get(condition="news2")
    assert alarm.priority == MEDIUM

    observe(committed, as_bob, admitted, minutes_ago=1, temperature=39.5)

    alarm.refresh_from_db()
    assert alarm.priority == HIGH
    assert alarm.timeline.filter(step="escalated").exists()


def test_a_single_part_of_3_raises_a_low_alarm(committed, as_bob, admitted):
    observe(committed, as_bob, admitted, **{**NORMAL, "consciousness": "V"})

    assert Alarm.objects.get(condition="news2").priority == LOW


def test_a_doctor_marks_a_patient_for_scale_2(committed, as_dana, as_bob, admitted):
    response = as_dana.put(
        f"/api/v1/patients/{admitted.pk}/news2/scale/", {"scale2": True, "reason": "COPD"}
    )
    observe(committed, as_bob, admitted, **{**NORMAL, "spo2": 89})

    assert response.status_code == 200, response.content
    assert News2Scale.objects.get(patient=admitted).scale2
    body = news2(as_bob, admitted)
    assert (body["scale"], body["score"]) == (2, 0)


def test_a_scale_that_is_not_a_yes_or_no_is_refused_and_nothing_is_stored(as_dana, admitted):
    url = f"/api/v1/patients/{admitted.pk}/news2/scale/"

    assert_problem(as_dana.put(url, {"scale2": "maybe"}), 400, field="scale2")
    assert not News2Scale.objects.exists()


def test_nurses_do_not_change_the_scale_and_others_patients_are_not_found(
    as_bob, as_charlie, admitted
):
    url = f"/api/v1/patients/{admitted.pk}/news2/scale/"

    assert_problem(as_bob.put(url, {"scale2": True}), 403)
    assert_problem(as_charlie.get(f"/api/v1/patients/{admitted.pk}/news2/"), 404)
