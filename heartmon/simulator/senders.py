"""How simulated devices send: over HTTP to a running server, or through an MQTT broker to the
ingester. Each sender keeps a tally of what became of the readings, as far as it can tell."""

import http.client
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

import orjson
import paho.mqtt.client as mqtt

from heartmon.simulator.fleet import SimulatedDevice
from heartmon.telemetry.mqtt import Broker, errors_topic, readings_topic


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
# A 401 for a key the server knows: it was revoked while this run used it.
REVOKED = "Someone revoked it (through the API or the admin, or by retiring the device)."


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
            detail = str(body.get("detail", ""))
            hint = REVOKED if "revoked" in detail else FATAL[status]
            raise FatalRefusal(f"{status} for {device.serial}: {detail} {hint}")
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
