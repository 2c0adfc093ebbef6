"""The timed checks: "no data" from an admitted patient's device (technical, kept apart), delays
that run out without a reading, reminders of unacknowledged alarms to the attending doctor and
the admins; a check run twice does nothing twice."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command

from heartmon.alarms.engine import RAISED, Change
from heartmon.alarms.models import Alarm, AlarmSettings, ConditionState, Step
from heartmon.alarms.periodic import run_timed_checks
from heartmon.alarms.services.alarms import Subject, raise_alarm
from heartmon.alarms.tests.support import series
from heartmon.clinic.services.admissions import admit_patient
from heartmon.telemetry.tests.seed import NOW


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def admitted(patient, bed, device, alice, dana, time_machine):
    """The patient admitted with the device, 10 minutes ago."""
    time_machine.move_to(NOW - timedelta(minutes=10), tick=False)
    admit_patient(
        patient=patient,
        place=bed,
        devices=[device],
        attending=dana,
        reason="Syncope",
        actor=alice.as_actor(),
    )
    time_machine.move_to(NOW, tick=False)
    return patient


def check(seconds=0):
    return run_timed_checks(now=NOW + timedelta(seconds=seconds))


def test_a_silent_device_of_an_admitted_patient_raises_a_technical_alarm(admitted, device):
    check()

    alarm = Alarm.objects.get()
    assert (alarm.kind, alarm.condition, alarm.priority) == ("technical", "no_data", "medium")
    assert alarm.device_id == device.pk


def test_a_device_that_sent_recently_raises_nothing(send, admitted):
    send(series([72] * 3))

    check(seconds=20)

    assert not Alarm.objects.exists()


def test_the_silence_allowed_is_the_organizations_setting(send, admitted):
    AlarmSettings.objects.update(no_data_seconds=10)
    send(series([72] * 3))

    check(seconds=20)

    assert Alarm.objects.get().condition == "no_data"


def test_data_coming_back_clears_the_technical_alarm(send, admitted, time_machine):
    check()
    time_machine.move_to(NOW + timedelta(seconds=5), tick=False)

    send(series([72] * 3, end=NOW + timedelta(seconds=5)))

    alarm = Alarm.objects.get()
    assert not alarm.active
    assert alarm.closed_at is not None


def test_technical_alarms_are_listed_apart(as_bob, admitted):
    check()

    assert as_bob.get("/api/v1/alarms/?kind=technical").json()["count"] == 1
    assert as_bob.get("/api/v1/alarms/?kind=patient").json()["count"] == 0


def test_a_delay_that_runs_out_without_a_reading_raises_on_the_check(send, monitored):
    send(series([130] * 3))

    check(seconds=2)
    assert not Alarm.objects.exists()
    check(seconds=6)

    assert Alarm.objects.get().condition == "heart_rate"


def test_a_stale_pending_state_raises_nothing(send, monitored):
    send(series([130] * 3))

    check(seconds=600)

    assert not Alarm.objects.exists()
    assert ConditionState.objects.exists()


def test_an_unacknowledged_medium_alarm_is_escalated_after_its_delay_once(
    send, monitored, alice, dana, patient
):
    send(series([130] * 8))

    check(seconds=170)
    check(seconds=185)
    check(seconds=300)

    alarm = Alarm.objects.get()
    assert alarm.timeline.filter(step=Step.REMINDED).count() == 1
    told = alarm.timeline.filter(step=Step.NOTIFIED).reverse()[0]
    assert told.details["reason"] == "unacknowledged"
    assert str(alice.pk) in told.details["recipients"]


def test_a_high_alarm_escalates_after_60_seconds(send, monitored):
    send(series([35] * 4))

    check(seconds=61)

    assert Alarm.objects.get().reminded_at is not None


def test_an_acknowledged_alarm_is_not_escalated(send, committed, as_bob, monitored):
    send(series([130] * 8))
    alarm = Alarm.objects.get()
    committed(as_bob.post, f"/api/v1/alarms/{alarm.pk}/acknowledge/", {})

    check(seconds=600)

    assert Alarm.objects.get().reminded_at is None


def test_a_low_alarm_never_escalates(monitored, patient):
    subject = Subject(
        patient_id=patient.pk, organization_id=patient.organization_id, condition="temperature"
    )
    raise_alarm(subject, Change(RAISED, NOW.timestamp(), "low", 39.5))

    check(seconds=3600)

    assert Alarm.objects.get().reminded_at is None


def test_the_command_runs_the_checks_once(admitted):
    out = io.StringIO()

    call_command("run_periodic", "--once", stdout=out)

    assert "1 alarm changes" in out.getvalue()
