"""Every way a reading is stored is evaluated by the same function: HTTP batches (see
test_evaluation), MQTT messages, manual observations, and the heart rate derived from ECG, which
the analysis stores through telemetry's one storage function."""

from datetime import timedelta

import orjson
import pytest

from heartmon.alarms.models import Alarm
from heartmon.alarms.tests.support import series
from heartmon.telemetry.ingest import ReadingRow, store_readings
from heartmon.telemetry.models import Source
from heartmon.telemetry.mqtt import handle_message
from heartmon.telemetry.tests.seed import NOW


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def test_an_mqtt_message_is_evaluated(
    django_capture_on_commit_callbacks, monitored, device_key, patient
):
    payload = orjson.dumps({"key": device_key, "readings": series([130] * 8)})

    with django_capture_on_commit_callbacks(execute=True):
        handle_message(serial=monitored.serial_number, payload=payload)

    assert Alarm.objects.get().patient_id == patient.pk


def test_the_heart_rate_derived_from_ecg_is_evaluated(
    django_capture_on_commit_callbacks, monitored, patient
):
    rows = [
        ReadingRow(monitored.pk, patient.pk, "heart_rate", 35.0, NOW - timedelta(seconds=s))
        for s in range(5, 0, -1)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        store_readings(rows, source=Source.ECG)

    assert Alarm.objects.get().priority == "high"


def test_an_ecg_recording_uploaded_hours_later_raises_no_live_alarm(
    django_capture_on_commit_callbacks, monitored, patient
):
    rows = [
        ReadingRow(
            monitored.pk, patient.pk, "heart_rate", 35.0, NOW - timedelta(hours=3, seconds=s)
        )
        for s in range(30, 0, -1)
    ]

    with django_capture_on_commit_callbacks(execute=True):
        store_readings(rows, source=Source.ECG)

    assert not Alarm.objects.exists()
