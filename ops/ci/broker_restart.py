"""A broker restart during MQTT ingestion loses nothing the broker acknowledged and stores
nothing twice; a device reads its own errors topic and no other device's.

A device publishes QoS 1 messages of two readings each from a persistent session while
`heartmon mqtt-ingest` stores them; a third of the way in, the Mosquitto started from
ops/mosquitto/mosquitto.conf is stopped (SIGTERM, as a service restart does), left down for
3 s and started again. Every reading of a message the broker acknowledged must be in the
database exactly once."""

import os
import subprocess
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import orjson
import paho.mqtt.client as mqtt
from django.utils import timezone
from seed import Monitor, seed
from services import BIN, INGEST_USER, Broker, stop

from heartmon.telemetry.models import Reading

MESSAGES = 1500
PER_MESSAGE = 2
RATE = 300  # messages per second
DOWN_SECONDS = 3


def device_client(monitor: Monitor, password: str, port: int) -> mqtt.Client:
    client = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2,
        client_id=monitor.serial,
        clean_session=False,
        protocol=mqtt.MQTTv311,
    )
    client.username_pw_set(monitor.serial, password)
    client.max_queued_messages_set(0)
    client.reconnect_delay_set(0.2, 2)
    client.connect("127.0.0.1", port, keepalive=10)
    client.loop_start()
    return client


def readings(first: int, start: datetime) -> list[dict[str, object]]:
    return [
        {
            "metric": "heart_rate",
            "value": 60 + (first + n) % 40,
            "recorded_at": (start + timedelta(seconds=first + n)).isoformat(),
        }
        for n in range(PER_MESSAGE)
    ]


def publish_through_a_restart(
    client: mqtt.Client, monitor: Monitor, broker: Broker, start: datetime
) -> set[int]:
    """Publishes every message, restarting the broker on the way; returns the offsets (seconds
    after `start`) of the readings of every message the broker acknowledged."""
    acknowledged: set[int] = set()
    offsets: dict[int, int] = {}
    lock = threading.Lock()

    def on_publish(client, userdata, mid, reason, properties):  # type: ignore[no-untyped-def]
        with lock:
            acknowledged.update(range(offsets[mid], offsets[mid] + PER_MESSAGE))

    client.on_publish = on_publish
    topic = f"heartmon/devices/{monitor.serial}/readings"
    for number in range(MESSAGES):
        if number == MESSAGES // 3:
            broker.stop()
            print(f"  broker stopped after {number} messages; down for {DOWN_SECONDS} s")
            time.sleep(DOWN_SECONDS)
            broker.start()
        payload = orjson.dumps(
            {"key": monitor.key, "readings": readings(number * PER_MESSAGE, start)}
        )
        with lock:
            info = client.publish(topic, payload, qos=1)
            offsets[info.mid] = number * PER_MESSAGE
        time.sleep(1 / RATE)
    deadline = time.monotonic() + 60
    while len(acknowledged) < MESSAGES * PER_MESSAGE and time.monotonic() < deadline:
        time.sleep(0.2)
    return acknowledged


def stored_offsets(monitor: Monitor, start: datetime, *, expected: int) -> list[int]:
    """The offsets of the device's stored readings, once `expected` are in or after 90 s."""
    deadline = time.monotonic() + 90
    rows = Reading.objects.filter(device_id=monitor.device_id)
    while rows.count() < expected and time.monotonic() < deadline:
        time.sleep(0.5)
    times = rows.values_list("recorded_at", flat=True)
    return [round((moment - start).total_seconds()) for moment in times]


def ingester(log_path: Path) -> subprocess.Popen[bytes]:
    """`heartmon mqtt-ingest`, once it has subscribed."""
    with open(log_path, "ab") as log:
        process = subprocess.Popen(
            [str(BIN / "heartmon"), "mqtt-ingest"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "LOG_LEVEL": "INFO"},
        )
    deadline = time.monotonic() + 30
    while b"Subscribed to" not in log_path.read_bytes():
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError(f"mqtt-ingest did not subscribe; see {log_path}")
        time.sleep(0.2)
    return process


def errors_reach_their_device_only(
    first: Monitor, other: Monitor, passwords: dict[str, str], port: int
) -> bool:
    """A refusal for `first` reaches `first` and not `other`, who subscribed to it too."""
    received: dict[str, list[str]] = {first.serial: [], other.serial: []}
    clients = []
    for monitor in (first, other):
        client = device_client(monitor, passwords[monitor.serial], port)
        client.on_message = lambda c, u, m, serial=monitor.serial: received[serial].append(m.topic)
        client.subscribe(f"heartmon/devices/{first.serial}/errors", qos=1)
        clients.append(client)
    time.sleep(1)
    clients[0].publish(f"heartmon/devices/{first.serial}/readings", b"not json", qos=1)
    time.sleep(3)
    for client in clients:
        client.loop_stop()
        client.disconnect()
    print(
        f"  refusal for {first.serial}: seen by it {len(received[first.serial])}, "
        f"by {other.serial} {len(received[other.serial])}"
    )
    return len(received[first.serial]) == 1 and not received[other.serial]


def run(*, work: Path, env: dict[str, str], port: int, ingest_password: str) -> int:
    world = seed("MQTT", monitors=2)
    first, other = world.monitors
    passwords = {monitor.serial: f"pw-{monitor.serial}" for monitor in world.monitors}
    broker = Broker(work, port=port, accounts={INGEST_USER: ingest_password, **passwords})
    broker.start()
    process = None
    try:
        process = ingester(work / "mqtt-ingest.log")
        client = device_client(first, passwords[first.serial], port)
        started, start = time.monotonic(), timezone.now() - timedelta(hours=3)
        acknowledged = publish_through_a_restart(client, first, broker, start)
        client.loop_stop()
        client.disconnect()
        offsets = stored_offsets(first, start, expected=len(acknowledged))
        lost = acknowledged - set(offsets)
        twice = len(offsets) - len(set(offsets))
        print(
            f"  published {MESSAGES} messages ({MESSAGES * PER_MESSAGE} readings) in "
            f"{time.monotonic() - started:.1f} s; readings acknowledged {len(acknowledged)}, "
            f"stored {len(offsets)}; acknowledged but lost {len(lost)}; stored twice {twice}"
        )
        isolated = errors_reach_their_device_only(first, other, passwords, port)
    finally:
        if process is not None:
            stop(process)
        broker.stop()
    whole = len(acknowledged) == MESSAGES * PER_MESSAGE and not lost and not twice
    print("  PASS" if whole and isolated else "  FAIL")
    return 0 if whole and isolated else 1
