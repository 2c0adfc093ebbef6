"""One MQTT message, as the ingester handles it: stored silently, or answered with what to
publish on the device's errors topic (the HTTP answer, never the patient's data)."""

from datetime import UTC, datetime

import orjson
import pytest

from heartmon.devices.models import Device, DeviceStatus
from heartmon.devices.services.keys import create_key, revoke_key
from heartmon.telemetry.models import Reading
from heartmon.telemetry.mqtt import handle_message

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now(time_machine):
    time_machine.move_to(NOW, tick=False)


def reading(second: int, value: float = 72) -> dict:
    return {"metric": "heart_rate", "value": value, "recorded_at": f"2026-11-20T07:59:{second:02}Z"}


def message(key: str, readings: list, **extra) -> bytes:
    return orjson.dumps({"key": key, "readings": readings, **extra})


def test_a_message_with_the_devices_key_is_stored_for_its_patient(monitored, patient, device_key):
    payload = message(device_key, [reading(1), reading(2, 75)])

    assert handle_message(serial="HM-0001", payload=payload) is None

    assert sorted(Reading.objects.values_list("value", flat=True)) == [72.0, 75.0]
    assert set(Reading.objects.values_list("patient_id", flat=True)) == {patient.pk}
    monitored.refresh_from_db()
    assert monitored.last_seen_at == NOW


def test_a_message_sent_again_stores_nothing_twice_and_answers_nothing(device, device_key):
    payload = message(device_key, [reading(1), reading(2)])
    handle_message(serial="HM-0001", payload=payload)

    assert handle_message(serial="HM-0001", payload=payload) is None

    assert Reading.objects.count() == 2


def test_refused_items_are_answered_and_the_others_stored(monitored, device_key):
    payload = message(device_key, [reading(1), reading(2, 1000), {"metric": "heart_rate"}])

    reply = handle_message(serial="HM-0001", payload=payload)

    assert reply is not None
    assert (reply["stored"], reply["duplicates"]) == (1, 0)
    assert [item["index"] for item in reply["rejected"]] == [1, 2]
    assert reply["rejected"][0]["errors"] == {"value": ["heart_rate must be between 20 and 300."]}
    assert Reading.objects.count() == 1
    assert "Ada" not in orjson.dumps(reply).decode()


def test_an_atomic_message_with_a_bad_item_stores_nothing(device, device_key):
    payload = message(device_key, [reading(1), reading(2, 1000)], atomic=True)

    reply = handle_message(serial="HM-0001", payload=payload)

    assert reply is not None
    assert (reply["status"], reply["type"]) == (400, "urn:heartmon:problem:invalid-readings")
    assert [item["index"] for item in reply["rejected"]] == [1]
    assert not Reading.objects.exists()


def test_an_unknown_or_revoked_key_is_refused(device, alice):
    row, key = create_key(device=device, name="old", actor=alice.as_actor())
    revoke_key(key=row, actor=alice.as_actor())

    unknown = handle_message(serial="HM-0001", payload=message("hmd_00000000_nope", [reading(1)]))
    revoked = handle_message(serial="HM-0001", payload=message(key, [reading(1)]))

    assert unknown is not None
    assert revoked is not None
    assert (unknown["status"], unknown["detail"]) == (401, "Unknown device key.")
    assert (revoked["status"], revoked["detail"]) == (401, "This device key has been revoked.")
    assert not Reading.objects.exists()


def test_a_key_of_another_device_is_refused_on_this_serial(device, device_key, org_a):
    Device.objects.create(organization=org_a, serial_number="HM-0002", model="HM-3L")

    reply = handle_message(serial="HM-0002", payload=message(device_key, [reading(1)]))

    assert reply is not None
    assert (reply["status"], reply["detail"]) == (403, "This key belongs to another device.")
    assert not Reading.objects.exists()


def test_an_inactive_device_is_refused(device, device_key):
    Device.objects.filter(pk=device.pk).update(status=DeviceStatus.RETIRED)

    reply = handle_message(serial="HM-0001", payload=message(device_key, [reading(1)]))

    assert reply is not None
    assert reply["status"] == 403
    assert "not active" in reply["detail"]
    assert not Reading.objects.exists()


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        (b"{not json", None),
        (b"[1, 2]", None),
        (b'{"readings": []}', ["key"]),
        (b'{"key": "hmd_x_y", "readings": {"value": 1}, "atomic": "yes"}', ["readings", "atomic"]),
    ],
)
def test_a_malformed_message_is_refused_with_the_fields_at_fault(device, payload, fields):
    reply = handle_message(serial="HM-0001", payload=payload)

    assert reply is not None
    assert reply["status"] == 400
    assert reply.get("errors") is None if fields is None else list(reply["errors"]) == fields
    assert not Reading.objects.exists()


def test_a_batch_over_the_limit_is_refused_whole(settings, device, device_key):
    settings.READINGS_MAX_BATCH = 2
    payload = message(device_key, [reading(second) for second in range(3)])

    reply = handle_message(serial="HM-0001", payload=payload)

    assert reply is not None
    assert reply["status"] == 413
    assert not Reading.objects.exists()


def test_a_payload_larger_than_a_full_batch_can_be_is_refused_unread(settings, device, device_key):
    settings.READINGS_MAX_BATCH = 2
    payload = message(device_key, [reading(1)], padding="x" * 3000)

    reply = handle_message(serial="HM-0001", payload=payload)

    assert reply is not None
    assert reply["status"] == 413
    assert "at most 2,048 bytes" in reply["detail"]
    assert not Reading.objects.exists()
