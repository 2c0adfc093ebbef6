"""Ingestion is measured: readings stored and re-sent by source, items refused and batch sizes by
sender kind, MQTT messages by outcome; counted once the batch commits."""

import orjson
import pytest
from prometheus_client import REGISTRY

from heartmon.telemetry.mqtt import handle_message
from heartmon.telemetry.tests.seed import NOW, T0

URL = "/api/v1/readings/"


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def readings(*values):
    return [
        {"metric": "heart_rate", "value": value, "recorded_at": T0.timestamp() + second}
        for second, value in enumerate(values)
    ]


def test_a_device_batch_counts_what_was_stored_resent_and_refused(
    as_device, django_capture_on_commit_callbacks
):
    stored = sample("heartmon_readings_stored_total", source="device")
    duplicate = sample("heartmon_readings_duplicate_total", source="device")
    rejected = sample("heartmon_readings_rejected_total", sender="device")
    batches = sample("heartmon_reading_batch_items_count", sender="device")
    body = orjson.dumps(readings(70, 71, 9999))

    with django_capture_on_commit_callbacks(execute=True):
        as_device.post(URL, body, content_type="application/json")
        as_device.post(URL, body, content_type="application/json")

    assert sample("heartmon_readings_stored_total", source="device") == stored + 2
    assert sample("heartmon_readings_duplicate_total", source="device") == duplicate + 2
    assert sample("heartmon_readings_rejected_total", sender="device") == rejected + 2
    assert sample("heartmon_reading_batch_items_count", sender="device") == batches + 2


def test_readings_are_not_counted_before_their_transaction_commits(
    as_device, django_capture_on_commit_callbacks
):
    stored = sample("heartmon_readings_stored_total", source="device")

    with django_capture_on_commit_callbacks(execute=False):
        as_device.post(URL, orjson.dumps(readings(70)), content_type="application/json")

    assert sample("heartmon_readings_stored_total", source="device") == stored


def test_mqtt_messages_are_counted_by_outcome(
    device, device_key, django_capture_on_commit_callbacks
):
    stored = sample("heartmon_mqtt_messages_total", outcome="stored")
    partly = sample("heartmon_mqtt_messages_total", outcome="partly_refused")
    refused = sample("heartmon_mqtt_messages_total", outcome="refused")

    with django_capture_on_commit_callbacks(execute=True):
        for values in ((70,), (71, 9999)):
            message = {"key": device_key, "readings": readings(*values)}
            handle_message(serial=device.serial_number, payload=orjson.dumps(message))
    handle_message(serial=device.serial_number, payload=b"not json")

    assert sample("heartmon_mqtt_messages_total", outcome="stored") == stored + 1
    assert sample("heartmon_mqtt_messages_total", outcome="partly_refused") == partly + 1
    assert sample("heartmon_mqtt_messages_total", outcome="refused") == refused + 1
