"""Live evaluation of every stored batch: a value out of band for the rule's delay raises one
alarm per patient and condition, with its timeline and audit events; it clears, escalates and
closes as the values go; old readings raise nothing."""

from datetime import timedelta

import pytest

from heartmon.alarms.evaluation import evaluate_readings
from heartmon.alarms.models import Alarm, AlarmRule, ConditionState, Step
from heartmon.alarms.tests.support import series
from heartmon.audit.models import AuditEvent
from heartmon.telemetry.ingest import ReadingRow
from heartmon.telemetry.tests.seed import NOW


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def steps(alarm):
    return list(alarm.timeline.values_list("step", flat=True))


def test_a_heart_rate_out_of_band_for_the_delay_raises_a_medium_alarm(send, monitored, patient):
    send(series([130] * 8))

    alarm = Alarm.objects.get()
    assert (alarm.patient_id, alarm.condition, alarm.priority, alarm.kind) == (
        patient.pk,
        "heart_rate",
        "medium",
        "patient",
    )
    assert alarm.raised_at == NOW - timedelta(seconds=1)
    assert alarm.device_id == monitored.pk
    assert steps(alarm) == [Step.RAISED, Step.NOTIFIED]
    assert AuditEvent.objects.filter(action="alarm.raised", patient_id=patient.pk).exists()


def test_a_value_out_for_less_than_the_delay_raises_nothing(send, monitored):
    send(series([130] * 5))

    assert not Alarm.objects.exists()
    assert ConditionState.objects.get().out_since is not None


def test_the_delay_runs_across_batches(send, monitored):
    send(series([130] * 4, end=NOW - timedelta(seconds=4)))
    send(series([130] * 4))

    assert Alarm.objects.get().raised_at == NOW - timedelta(seconds=1)


def test_one_open_alarm_per_condition_however_many_batches(send, monitored):
    send(series([130] * 8, end=NOW - timedelta(seconds=10)))
    send(series([130] * 8))

    assert Alarm.objects.count() == 1


def test_an_extreme_value_raises_high_and_escalates_an_open_medium_alarm_in_place(send, monitored):
    send(series([130] * 7 + [160] * 3))

    alarm = Alarm.objects.get()
    assert alarm.priority == "high"
    assert steps(alarm) == [Step.RAISED, Step.NOTIFIED, Step.ESCALATED, Step.NOTIFIED]


def test_a_recovered_value_clears_and_closes_a_non_latching_alarm(send, monitored):
    send(series([130] * 7 + [90] * 7))

    alarm = Alarm.objects.get()
    assert not alarm.active
    assert alarm.closed_at is not None
    assert steps(alarm)[-2:] == [Step.CLEARED, Step.CLOSED]
    assert not ConditionState.objects.exists()


def test_a_latching_alarm_stays_open_until_acknowledged(send, committed, as_bob, monitored):
    AlarmRule.objects.filter(metric="heart_rate").update(latching=True)
    send(series([130] * 7 + [90] * 7))
    alarm = Alarm.objects.get()
    assert alarm.is_open

    committed(as_bob.post, f"/api/v1/alarms/{alarm.pk}/acknowledge/", {"note": "seen"})

    alarm.refresh_from_db()
    assert alarm.closed_at is not None


def test_a_re_raise_after_closing_opens_a_new_alarm(send, monitored):
    send(series([130] * 7 + [90] * 7, end=NOW - timedelta(seconds=20)))
    send(series([130] * 8))

    assert Alarm.objects.count() == 2
    assert Alarm.objects.open().count() == 1


def test_readings_more_than_five_minutes_old_raise_nothing(send, monitored):
    send(series([130] * 20, end=NOW - timedelta(minutes=6)))

    assert not Alarm.objects.exists()


def test_readings_arriving_out_of_order_do_not_move_the_state_back(send, monitored):
    send(series([130] * 8))
    send(series([90] * 20, end=NOW - timedelta(seconds=10)))

    assert Alarm.objects.get().active


def test_a_manual_observation_is_evaluated_by_the_same_rules(committed, as_bob, patient):
    AlarmRule.objects.filter(metric="spo2").update(delay_seconds=0)

    committed(
        as_bob.post,
        f"/api/v1/patients/{patient.pk}/observations/",
        {"recorded_at": NOW.isoformat(), "spo2": 87},
        format="json",
    )

    assert Alarm.objects.get().condition == "spo2"


def test_a_reading_of_a_device_with_no_patient_raises_nothing(send, device):
    send(series([130] * 8))

    assert not Alarm.objects.exists()


def test_a_batch_in_band_with_nothing_pending_costs_one_query_once_the_limits_are_kept(
    monitored, patient, django_assert_num_queries
):
    rows = [
        ReadingRow(monitored.pk, patient.pk, "heart_rate", 72.0, NOW - timedelta(seconds=s))
        for s in range(10, 0, -1)
    ]
    evaluate_readings(rows, received_at=NOW)  # keeps the patient's limits

    with django_assert_num_queries(1):
        evaluate_readings(rows, received_at=NOW)


def test_a_rule_changed_through_the_api_applies_to_the_next_batch(send, as_alice, monitored):
    send(series([110] * 3, end=NOW - timedelta(seconds=20)))  # in band: the limits are kept
    rule = AlarmRule.objects.get(metric="heart_rate", place=None, patient=None)

    as_alice.patch(f"/api/v1/alarm-rules/{rule.pk}/", {"high": 100})
    send(series([110] * 8))

    assert Alarm.objects.get().condition == "heart_rate"
