"""Alarms from a whole recording's rhythm events (an upload or the analysis of a closed live
recording): recent events alarm, older ones and recordings already alarmed live do not. The
live path is tested with a streaming device in `live/tests/test_rhythm_alarms.py`."""

import uuid
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from heartmon.alarms.models import Alarm, AlarmEvent
from heartmon.alarms.rhythm import on_rhythm_analysed
from heartmon.ecg.events import RhythmEvent


def recording_of(patient, device):
    return SimpleNamespace(
        pk=uuid.uuid4(),
        patient_id=patient.pk,
        organization_id=patient.organization_id,
        device_id=device.pk,
        end_time=timezone.now(),
    )


def asystole(minutes_ago: float, seconds: float = 5.0) -> RhythmEvent:
    start = timezone.now() - timedelta(minutes=minutes_ago)
    return RhythmEvent(kind="asystole", start=start, offset_s=0.0, duration_s=seconds)


def test_an_upload_of_recent_ecg_raises_its_asystole(patient, device):
    recording = recording_of(patient, device)

    on_rhythm_analysed(recording=recording, events=[asystole(2)], live=False)

    alarm = Alarm.objects.get(patient=patient)
    assert (alarm.condition, alarm.priority, alarm.latching, alarm.active) == (
        "asystole",
        "high",
        True,
        True,
    )
    assert alarm.timeline.get(step="raised").details["recording"] == str(recording.pk)


def test_an_upload_older_than_5_minutes_raises_nothing(patient, device):
    on_rhythm_analysed(recording=recording_of(patient, device), events=[asystole(6)], live=False)

    assert not Alarm.objects.exists()


def test_a_recording_alarmed_live_is_not_alarmed_again_by_its_whole_analysis(patient, device):
    recording = recording_of(patient, device)
    on_rhythm_analysed(recording=recording, events=[asystole(2)], live=True)
    on_rhythm_analysed(recording=recording, events=[], live=True)  # beats resumed

    on_rhythm_analysed(recording=recording, events=[asystole(2, seconds=5.1)], live=False)

    assert AlarmEvent.objects.filter(step="raised").count() == 1


@pytest.mark.parametrize("kind", ["asystole", "pause"])
def test_an_acknowledged_rhythm_alarm_closes_once_the_beats_resume(patient, device, dana, kind):
    from heartmon.alarms.services.alarms import acknowledge

    recording = recording_of(patient, device)
    seconds = 4.5 if kind == "asystole" else 3.5
    event = RhythmEvent(kind=kind, start=timezone.now(), offset_s=0.0, duration_s=seconds)
    (alarm,) = on_rhythm_analysed(recording=recording, events=[event], live=True)
    acknowledge(alarm=alarm, note="Seen", actor=dana.as_actor())

    on_rhythm_analysed(recording=recording, events=[], live=True)

    alarm.refresh_from_db()
    assert alarm.closed_at is not None


@pytest.mark.django_db(transaction=True)
def test_the_migration_of_the_rhythm_conditions_reverses():
    rhythm = ("alarms", "0002_rhythm_conditions")
    executor = MigrationExecutor(connection)
    executor.migrate([("alarms", "0001_alarms")])
    unapplied = MigrationRecorder(connection).applied_migrations()
    executor.loader.build_graph()
    executor.migrate([rhythm])

    assert rhythm not in unapplied
    assert rhythm in MigrationRecorder(connection).applied_migrations()
