"""Live ECG over the real broker (MQTT_URL, Mosquitto in CI): frames published by a device reach
the live recording and its watchers; refusals come back on the errors topic."""

import uuid

import numpy as np
import orjson
import pytest
from django.conf import settings

from heartmon.ecg import storage
from heartmon.ecg.models import Recording
from heartmon.live.streaming import end_stream
from heartmon.live.tests.streams import samples_of, stream
from heartmon.telemetry.mqtt import device_topic, errors_topic
from heartmon.telemetry.tests.mqtt_support import client, running, wait_until

pytestmark = [
    pytest.mark.skipif(
        not settings.MQTT_URL, reason="needs a broker: set MQTT_URL=mqtt://127.0.0.1:1883"
    ),
    pytest.mark.django_db(transaction=True),  # the ingester commits from its own thread
]


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def root() -> str:
    return f"test-{uuid.uuid4().hex[:8]}"


def published(root: str, serial: str, payloads: list[bytes]) -> None:
    peer = client(settings.MQTT_URL)
    peer.loop_start()
    try:
        for payload in payloads:  # QoS 1 from the device: the broker delivers at QoS 0, in order
            peer.publish(device_topic(serial, "ecg", root), payload, qos=1).wait_for_publish(5)
    finally:
        peer.disconnect()
        peer.loop_stop()


def test_frames_over_mqtt_become_the_live_recording(root, monitored, device_key):
    sent = stream(31)
    key = device_key.encode()
    with running(settings.MQTT_URL, f"live-{root}", root):
        published(root, monitored.serial_number, [key + b"\n" + frame for frame in sent])
        wait_until(lambda: Recording.objects.filter(device=monitored).exists())  # 30 s closed
    end_stream(monitored.pk)
    recording = Recording.objects.get(device=monitored)
    stored = storage.read_samples(recording, 0, 30 * 360)
    assert np.array_equal(stored, samples_of(sent)[: 30 * 360])


def test_a_frame_with_a_wrong_key_is_refused_on_the_errors_topic(root, monitored):
    replies: list[dict] = []
    listener = client(settings.MQTT_URL)
    listener.on_message = lambda c, u, message: replies.append(orjson.loads(message.payload))
    listener.subscribe(errors_topic(monitored.serial_number, root), qos=1)
    listener.loop_start()
    try:
        with running(settings.MQTT_URL, f"live-{root}", root):
            published(root, monitored.serial_number, [b"hmd_00000000_nope\n" + stream(1)[0]])
            wait_until(lambda: bool(replies))
    finally:
        listener.disconnect()
        listener.loop_stop()
    assert replies[0]["status"] == 401
    assert not Recording.objects.exists()
