"""What-if replay: the live engine's state machine over stored readings, with the effective rules
or proposed ones, writing nothing (POST /api/v1/alarm-rules/replay/, `heartmon alarms replay`)."""

import io
import json
from datetime import timedelta

import numpy as np
import pytest
from django.core.management import call_command

from heartmon.alarms.models import Alarm, AlarmEvent, ConditionState
from heartmon.alarms.replay import replay_series
from heartmon.alarms.tests.test_engine import HEART_RATE, run
from heartmon.audit.models import AuditEvent
from heartmon.clinic.models import Admission
from heartmon.core.testing import assert_problem
from heartmon.telemetry.tests.seed import NOW, seed

URL = "/api/v1/alarm-rules/replay/"
DAY = NOW - timedelta(hours=12)
# An hour at 1 Hz: well, then two tachycardia episodes (20 s and 4 s) and a bradycardia (10 s).
HOUR = [72.0] * 600 + [130.0] * 20 + [72.0] * 600 + [130.0] * 4 + [72.0] * 600 + [45.0] * 10
HOUR += [72.0] * (3600 - len(HOUR))


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def hour(monitored, patient):
    return seed(monitored, patient, values=HOUR, start=DAY, step=timedelta(seconds=1))


def body(patient, **extra):
    return {"patient": str(patient.pk), "start": DAY.isoformat(), "end": NOW.isoformat(), **extra}


def test_a_replay_raises_what_the_live_state_machine_raises_reading_by_reading():
    values = np.array(HOUR)
    times = np.arange(len(values), dtype=float)

    episodes = replay_series(HEART_RATE, times, values)
    _, live = run(HEART_RATE, list(values))

    assert [e.raised_at for e in episodes] == [at for kind, at, _ in live if kind == "raised"]
    assert [e.cleared_at for e in episodes] == [at for kind, at, _ in live if kind == "cleared"]


def test_the_default_rules_raise_the_sustained_episodes_only(as_bob, hour, patient):
    response = as_bob.post(URL, body(patient))

    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["readings"] == 3600
    assert answer["per_metric"]["heart_rate"]["alarms"] == 2
    assert [e["priority"] for e in answer["episodes"]] == ["medium", "medium"]
    assert answer["episodes"][0]["duration_seconds"] > 0


def test_proposed_rules_without_delay_raise_more(as_bob, hour, patient):
    rules = [{"metric": "heart_rate", "low": 50, "high": 120, "priority": "medium"}]

    answer = as_bob.post(URL, body(patient, rules=rules)).json()

    assert answer["rules"] == "proposed"
    assert answer["per_metric"]["heart_rate"]["alarms"] == 3


def test_a_replay_writes_nothing_but_its_audit(as_bob, hour, patient):
    as_bob.post(URL, body(patient))

    assert not Alarm.objects.exists()
    assert not AlarmEvent.objects.exists()
    assert not ConditionState.objects.exists()
    assert AuditEvent.objects.filter(action="alarm_rule.replayed", patient_id=patient.pk).exists()


def test_a_place_replays_everyone_admitted_in_it(as_bob, hour, patient, bed, ward, alice):
    Admission.objects.create(
        organization=patient.organization,
        patient=patient,
        place=bed,
        bed=bed,
        reason="Syncope",
        admitted_by=alice,
        admitted_at=DAY - timedelta(days=1),
    )

    window = {"place": str(ward.pk), "start": DAY.isoformat(), "end": NOW.isoformat()}

    answer = as_bob.post(URL, window).json()

    assert answer["patients"] == [str(patient.pk)]
    assert answer["alarms"] == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"place": "00000000-0000-0000-0000-000000000000"}, "patient"),
        ({"end": (DAY + timedelta(days=40)).isoformat()}, "end"),
        ({"end": (DAY - timedelta(days=1)).isoformat()}, "end"),
        (
            {"rules": [{"metric": "heart_rate", "low": 120, "high": 50, "priority": "medium"}]},
            "rules",
        ),
    ],
)
def test_bad_replays_are_refused(as_bob, patient, changes, field):
    assert_problem(as_bob.post(URL, body(patient, **changes)), 400)


def test_another_organizations_patient_cannot_be_replayed(as_charlie, patient):
    assert_problem(as_charlie.post(URL, body(patient)), 400, field="patient")


def test_technicians_may_not_replay(as_tess, patient):
    assert_problem(as_tess.post(URL, body(patient)), 403)


def test_the_command_replays_from_the_shell(hour, patient, tmp_path):
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps([{"metric": "heart_rate", "low": 50, "high": 120, "priority": "medium"}])
    )
    out = io.StringIO()

    call_command(
        "alarms",
        "replay",
        "--patient",
        str(patient.pk),
        "--start",
        DAY.isoformat(),
        "--end",
        NOW.isoformat(),
        "--rules",
        str(rules),
        stdout=out,
    )

    assert json.loads(out.getvalue())["per_metric"]["heart_rate"]["alarms"] == 3
