"""The ingester against the real broker (MQTT_URL, Mosquitto in CI): messages stored, refusals
published back, nothing lost while the ingester is down or the broker restarts (the simulator's
MQTT mode feeding it: heartmon/simulator/tests/test_mqtt_sender.py).

Each test uses its own topic root and client id, so runs sharing one broker never meet."""

import contextlib
import getpass
import queue
import shutil
import socket
import subprocess
import threading
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from django.conf import settings

from heartmon.telemetry.models import Reading
from heartmon.telemetry.mqtt import errors_topic, readings_topic
from heartmon.telemetry.tests.mqtt_support import (
    WAIT_SECONDS,
    client,
    forget_session,
    running,
    wait_until,
)

pytestmark = [
    pytest.mark.skipif(
        not settings.MQTT_URL, reason="needs a broker: set MQTT_URL=mqtt://127.0.0.1:1883"
    ),
    # The ingester commits from its own thread: the test database must see those commits.
    pytest.mark.django_db(transaction=True),
]


def publish(url: str, topic: str, payload: bytes) -> None:
    """Publish with QoS 1 and wait for the broker's acknowledgement."""
    peer = client(url)
    peer.loop_start()
    try:
        peer.publish(topic, payload, qos=1).wait_for_publish(WAIT_SECONDS)
    finally:
        peer.disconnect()
        peer.loop_stop()


@contextlib.contextmanager
def listening(url: str, topic: str) -> Iterator["queue.Queue[dict]"]:
    received: queue.Queue[dict] = queue.Queue()
    peer = client(url)
    subscribed = threading.Event()
    peer.on_message = lambda c, u, message: received.put(orjson.loads(message.payload))
    peer.on_subscribe = lambda *args: subscribed.set()
    peer.subscribe(topic, qos=1)
    peer.loop_start()
    assert subscribed.wait(WAIT_SECONDS)
    try:
        yield received
    finally:
        peer.disconnect()
        peer.loop_stop()


@pytest.fixture
def root() -> str:
    return f"heartmon-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def client_id(root) -> Iterator[str]:
    yield root
    forget_session(settings.MQTT_URL, root)


def message(key: str, count: int = 3) -> bytes:
    start = datetime.now(UTC) - timedelta(minutes=1)
    readings = [
        {"metric": "heart_rate", "value": 70 + i, "recorded_at": (start + timedelta(seconds=i))}
        for i in range(count)
    ]
    return orjson.dumps({"key": key, "readings": readings})


def test_a_message_with_a_valid_key_is_stored(monitored, device_key, root, client_id):
    url = settings.MQTT_URL
    with running(url, client_id, root):
        publish(url, readings_topic("HM-0001", root), message(device_key))

        wait_until(lambda: Reading.objects.count() == 3)

    assert set(Reading.objects.values_list("device_id", flat=True)) == {monitored.pk}


def test_a_bad_key_or_a_wrong_serial_is_answered_on_the_errors_topic(
    device, device_key, root, client_id
):
    url = settings.MQTT_URL
    with (
        running(url, client_id, root),
        listening(url, errors_topic("+", root)) as errors,
    ):
        publish(url, readings_topic("HM-0001", root), message("hmd_00000000_wrong"))
        publish(url, readings_topic("HM-0002", root), message(device_key))

        first, second = errors.get(timeout=WAIT_SECONDS), errors.get(timeout=WAIT_SECONDS)

    assert (first["status"], first["detail"]) == (401, "Unknown device key.")
    assert (second["status"], second["detail"]) == (403, "This key belongs to another device.")
    assert not Reading.objects.exists()


def test_a_message_published_while_the_ingester_is_down_is_stored_when_it_returns(
    device, device_key, root, client_id
):
    url = settings.MQTT_URL
    with running(url, client_id, root):
        pass
    publish(url, readings_topic("HM-0001", root), message(device_key, count=5))

    with running(url, client_id, root):
        wait_until(lambda: Reading.objects.count() == 5)


class PrivateBroker:
    """A Mosquitto of the test's own, on a free port, that the test may restart."""

    def __init__(self, folder: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port: int = probe.getsockname()[1]
        self.url = f"mqtt://127.0.0.1:{self.port}"
        self.config = folder / "mosquitto.conf"
        self.config.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\n"
            # Run as root, mosquitto would drop to its own user and fail to save the sessions.
            f"user {getpass.getuser()}\npersistence true\npersistence_location {folder}/\n"
        )
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(["mosquitto", "-c", str(self.config)])  # noqa: S603, S607
        wait_until(self._accepts)

    def stop(self) -> None:
        """Stopped with SIGTERM, mosquitto saves its sessions and queued messages first."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(WAIT_SECONDS)
            self.process = None

    def _accepts(self) -> bool:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 1):
            return True
        return False


@pytest.mark.skipif(not shutil.which("mosquitto"), reason="needs the mosquitto binary on PATH")
def test_after_a_broker_restart_the_ingester_reconnects_and_loses_nothing(
    device, device_key, tmp_path, root
):
    broker = PrivateBroker(tmp_path)
    broker.start()
    try:
        with running(broker.url, root, root):
            broker.stop()
            broker.start()
            # Published before the ingester is back: the broker queues it in the saved session.
            publish(broker.url, readings_topic("HM-0001", root), message(device_key, count=4))

            wait_until(lambda: Reading.objects.count() == 4)
    finally:
        broker.stop()
