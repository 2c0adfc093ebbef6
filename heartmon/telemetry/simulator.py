"""Demo devices that stream realistic heart rates (`heartmon simulate`), so a new user sees data
flowing: through the HTTP API of a running server, or through the MQTT broker to the ingester.

The signal model is plain arithmetic on a seeded random generator: the same seed gives the same
values, whatever the wall clock says."""

import http.client
import math
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit

import orjson
import paho.mqtt.client as mqtt
from django.db import transaction

from heartmon.accounts.models import Organization
from heartmon.clinic.models import Patient
from heartmon.clinic.services.assignments import assign_to_patient
from heartmon.clinic.services.patients import register_patient
from heartmon.core.actor import Actor
from heartmon.devices.models import Device, DeviceAssignment, DeviceKey
from heartmon.devices.services.keys import create_key, revoke_key
from heartmon.telemetry.mqtt import Broker, errors_topic, readings_topic

SERIAL_PREFIX = "SIM-"
KEY_NAME = "simulator"
BOUNDS = (25.0, 250.0)  # what a monitor shows; the API accepts 20-300
EPISODES_PER_HOUR = 3  # per patient: among 10 devices, one starts every two minutes or so
EPISODE_SECONDS = (30.0, 150.0)
ONSET_SECONDS = 8.0  # time constant of an episode setting in and wearing off
DRIFT_SECONDS = 300.0  # time constant of the slow drift back to the baseline
DRIFT_SPREAD = 4.0  # bpm, the drift's typical distance from the baseline
NOISE = 1.5  # bpm, beat-to-beat


@dataclass
class HeartRateModel:
    """One patient's heart rate: a baseline of their own, a slow drift around it (an
    Ornstein-Uhlenbeck walk), beat-to-beat noise, and now and then an episode of bradycardia
    (35-48 bpm) or tachycardia (125-165 bpm) that sets in and wears off over seconds."""

    rng: random.Random
    baseline: float
    drift: float = 0.0
    episode: str | None = None  # "bradycardia", "tachycardia" or None
    episode_level: float = 0.0
    episode_left: float = 0.0
    weight: float = 0.0  # how far the episode has taken the rate from the patient's own (0-1)

    @classmethod
    def for_patient(cls, *, seed: int, index: int) -> "HeartRateModel":
        rng = random.Random(f"{seed}-{index}")  # noqa: S311 (a simulation, not a secret)
        return cls(rng=rng, baseline=rng.uniform(58, 88))

    def next(self, seconds: float) -> int:
        """The rate `seconds` after the previous one, in whole bpm as monitors show it."""
        rng = self.rng
        pull = math.exp(-seconds / DRIFT_SECONDS)
        spread = DRIFT_SPREAD * math.sqrt(1 - pull * pull)
        self.drift = self.drift * pull + spread * rng.gauss(0, 1)
        self._advance_episode(seconds)
        own = self.baseline + self.drift
        rate = own + self.weight * (self.episode_level - own) + rng.gauss(0, NOISE)
        return round(min(max(rate, BOUNDS[0]), BOUNDS[1]))

    def _advance_episode(self, seconds: float) -> None:
        if self.episode is None and self.rng.random() < seconds * EPISODES_PER_HOUR / 3600:
            self.episode = self.rng.choice(("bradycardia", "tachycardia"))
            low, high = (35, 48) if self.episode == "bradycardia" else (125, 165)
            self.episode_level = self.rng.uniform(low, high)
            self.episode_left = self.rng.uniform(*EPISODE_SECONDS)
        if self.episode is not None:
            self.episode_left -= seconds
            if self.episode_left <= 0:
                self.episode = None
        goal = 0.0 if self.episode is None else 1.0
        self.weight += (goal - self.weight) * (1 - math.exp(-seconds / ONSET_SECONDS))


def heart_rates(*, seed: int, index: int, count: int, rate_hz: float = 1.0) -> list[int]:
    """`count` successive rates of simulated patient `index` sampled at `rate_hz`."""
    model = HeartRateModel.for_patient(seed=seed, index=index)
    return [model.next(1 / rate_hz) for _ in range(count)]


@dataclass
class SimulatedDevice:
    serial: str
    key: str = field(repr=False)
    model: HeartRateModel
    measured_until: datetime = field(default_factory=lambda: datetime.now(UTC))

    def measure(self, *, now: datetime, rate_hz: float) -> list[dict[str, Any]]:
        """The readings taken since the last call, up to `now`, `rate_hz` a second."""
        step = timedelta(seconds=1 / rate_hz)
        readings = []
        while self.measured_until + step <= now:
            self.measured_until += step
            readings.append(
                {
                    "metric": "heart_rate",
                    "value": self.model.next(step.total_seconds()),
                    "recorded_at": self.measured_until.isoformat(timespec="milliseconds"),
                }
            )
        return readings


@transaction.atomic
def prepare_fleet(
    *, count: int, organization: Organization, actor: Actor, seed: int
) -> list[SimulatedDevice]:
    """Devices SIM-001... of the organization, created when missing, each with a fresh key (the
    previous simulator keys are revoked) and assigned to a demo patient when both are free."""
    fleet = []
    for index in range(1, count + 1):
        device, _ = Device.objects.get_or_create(
            serial_number=f"{SERIAL_PREFIX}{index:03}",
            defaults={"organization": organization, "model": "Simulator", "name": "Demo monitor"},
        )
        if device.organization_id != organization.pk:
            raise ValueError(f"Device {device.serial_number} belongs to another organization.")
        if not device.is_active:
            raise ValueError(f"Device {device.serial_number} is {device.status}: make it active.")
        for old in DeviceKey.objects.filter(device=device, name=KEY_NAME, revoked_at=None):
            revoke_key(key=old, actor=actor)
        _, key = create_key(device=device, name=KEY_NAME, actor=actor)
        _assign_demo_patient(device, index, organization, actor)
        fleet.append(
            SimulatedDevice(
                device.serial_number, key, HeartRateModel.for_patient(seed=seed, index=index)
            )
        )
    return fleet


def _assign_demo_patient(
    device: Device, index: int, organization: Organization, actor: Actor
) -> None:
    if DeviceAssignment.objects.open().filter(device=device).exists():
        return
    number = f"{SERIAL_PREFIX}P{index:03}"
    patient = Patient.objects.filter(organization=organization, patient_number=number).first()
    if patient is None:
        patient = register_patient(
            data={
                "patient_number": number,
                "given_name": "Demo",
                "family_name": f"Patient {index}",
            },
            actor=actor,
        )
    if patient.is_archived or DeviceAssignment.objects.open().filter(patient=patient).exists():
        return
    assign_to_patient(device=device, patient=patient, actor=actor)


@dataclass
class Tally:
    """Readings sent, and what became of them as far as the sender can tell."""

    sent: int = 0
    accepted: int = 0
    refused: int = 0
    last_problem: str = ""


class Sender(Protocol):
    tally: Tally
    labels: tuple[str, str]  # what `accepted` and `refused` count

    def send(self, device: SimulatedDevice, readings: Sequence[dict[str, Any]]) -> None: ...

    def close(self) -> None: ...


class FatalRefusal(Exception):
    """The server refuses the simulator as such (its keys, or the address): stop and say why."""


FATAL = {
    401: "Does the server use this database? The simulator made its keys there.",
    403: "Is the device active?",
    404: "Is the URL a heartmon server?",
}


class HttpSender:
    """POST <url>/api/v1/readings/ with the device's key, over one keep-alive connection."""

    labels = ("stored", "refused")

    def __init__(self, url: str, *, wait_seconds: float) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"{url!r} is not an http:// or https:// URL.")
        connection_class = (
            http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        )
        self.connection = connection_class(parts.netloc, timeout=30)
        self.path = f"{parts.path.rstrip('/')}/api/v1/readings/"
        self.wait_seconds = wait_seconds
        self.tally = Tally()

    def send(self, device: SimulatedDevice, readings: Sequence[dict[str, Any]]) -> None:
        status, body = self._post(orjson.dumps(readings), device.key)
        self.tally.sent += len(readings)
        if status in FATAL:
            raise FatalRefusal(f"{status} {body.get('detail', '')} {FATAL[status]}")
        if status >= 300:
            self.tally.refused += len(readings)
            self.tally.last_problem = str(body.get("detail", status))
            return
        refused = len(body.get("rejected", []))
        self.tally.accepted += len(readings) - refused
        self.tally.refused += refused

    def _post(self, payload: bytes, key: str) -> tuple[int, dict[str, Any]]:
        """Retries for up to wait_seconds while the server does not answer (it may be starting).
        A batch sent twice is stored once, so a retry after a lost answer is harmless."""
        deadline = time.monotonic() + self.wait_seconds
        headers = {"Content-Type": "application/json", "Authorization": f"Device {key}"}
        while True:
            try:
                self.connection.request("POST", self.path, payload, headers)
                response = self.connection.getresponse()
                content = response.read()
            except (ConnectionError, http.client.HTTPException, TimeoutError):
                self.connection.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
                continue
            try:
                body = orjson.loads(content) if content else {}
            except orjson.JSONDecodeError:
                body = {}
            return response.status, body if isinstance(body, dict) else {}

    def close(self) -> None:
        self.connection.close()


class MqttSender:
    """Publishes {key, readings} with QoS 1 to each device's topic; counts the broker's
    acknowledgements and the refusals the ingester publishes back."""

    labels = ("acknowledged by the broker", "error replies")

    def __init__(self, url: str, *, root: str) -> None:
        broker = Broker.from_url(url)
        self.root = root
        self.tally = Tally()
        self._lock = threading.Lock()
        self._pending: dict[int, tuple[int, mqtt.MQTTMessageInfo]] = {}  # by message id
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        if broker.username is not None:
            client.username_pw_set(broker.username, broker.password)
        if broker.tls:
            client.tls_set()
        client.on_publish = self._on_publish
        client.on_message = self._on_error
        client.connect(broker.host, broker.port)
        client.subscribe(errors_topic("+", root), qos=1)
        client.loop_start()
        self.client = client

    def send(self, device: SimulatedDevice, readings: Sequence[dict[str, Any]]) -> None:
        payload = orjson.dumps({"key": device.key, "readings": readings})
        with self._lock:
            info = self.client.publish(readings_topic(device.serial, self.root), payload, qos=1)
            self._pending[info.mid] = (len(readings), info)
            self.tally.sent += len(readings)

    def _on_publish(self, client: Any, userdata: Any, mid: int, reason: Any, props: Any) -> None:
        with self._lock:
            size, _ = self._pending.pop(mid, (0, None))
            self.tally.accepted += size

    def _on_error(self, client: Any, userdata: Any, message: mqtt.MQTTMessage) -> None:
        reply = orjson.loads(message.payload)
        with self._lock:
            self.tally.refused += 1
            self.tally.last_problem = str(reply.get("detail", "some readings refused"))

    def close(self) -> None:
        """After the broker acknowledged what was sent (or 10 s)."""
        with self._lock:
            pending = [info for _, info in self._pending.values()]
        deadline = time.monotonic() + 10
        for info in pending:
            info.wait_for_publish(max(0.0, deadline - time.monotonic()))
        self.client.disconnect()
        self.client.loop_stop()


class Progress:
    """One line: rewritten in place on a terminal, printed every `every` seconds otherwise."""

    def __init__(self, write: Callable[[str], object], *, live: bool, every: float = 10.0) -> None:
        self.write, self.live, self.every = write, live, every
        self._printed_at = 0.0

    def show(self, sender: Sender, elapsed: float, *, final: bool = False) -> None:
        if not (self.live or final or elapsed - self._printed_at >= self.every):
            return
        self._printed_at = elapsed
        tally, (accepted, refused) = sender.tally, sender.labels
        rate = tally.sent / elapsed if elapsed > 0 else 0.0
        line = (
            f"sent {tally.sent:,} · {accepted} {tally.accepted:,} · {refused} {tally.refused:,} · "
            f"{rate:,.1f} readings/s · {timedelta(seconds=round(elapsed))}"
        )
        if tally.last_problem:
            line += f" · last refusal: {tally.last_problem[:60]}"
        self.write(f"\r{line:<120}" + ("\n" if final else "") if self.live else f"{line}\n")


def run(
    fleet: Sequence[SimulatedDevice],
    sender: Sender,
    *,
    rate_hz: float,
    duration: float,
    interval: float,
    progress: Progress,
) -> Tally:
    """Every `interval` seconds each device sends what it measured since its last batch, for
    `duration` seconds (0: until interrupted, which ends the run as normally)."""
    started = time.monotonic()
    try:
        while not duration or time.monotonic() - started < duration:
            time.sleep(interval - (time.monotonic() - started) % interval)
            now = datetime.now(UTC)
            for device in fleet:
                readings = device.measure(now=now, rate_hz=rate_hz)
                if readings:
                    sender.send(device, readings)
            progress.show(sender, time.monotonic() - started)
    except KeyboardInterrupt:
        pass
    finally:
        sender.close()
    progress.show(sender, time.monotonic() - started, final=True)
    return sender.tally
