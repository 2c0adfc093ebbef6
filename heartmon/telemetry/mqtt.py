"""MQTT ingestion (`heartmon mqtt-ingest`): devices publish reading batches to a broker and this
subscriber stores them through the same function as HTTP (`ingest.ingest_batch`).

A device publishes with QoS 1 to `heartmon/devices/<serial>/readings` a JSON object:

    {"key": "hmd_…", "readings": [ …items exactly as POST /api/v1/readings/ takes them… ],
     "atomic": false}

The key travels in the payload rather than in an MQTT 5 user property so that MQTT 3.1.1
firmware libraries can send it too; use TLS (mqtts://) on any network you do not trust. The key
must belong to the device whose serial the topic names. `atomic` (optional) stores all or none.

Nothing is published back when every reading was stored (or was already stored). Otherwise the
device gets, on `heartmon/devices/<serial>/errors`, what HTTP would have answered: the result
{"stored", "duplicates", "rejected"} when some items were refused, or a problem object
(type, title, status, detail) when the whole message was refused.

Delivery: a persistent session (a fixed client id and clean_session=False) and manual
acknowledgements. A message is acknowledged only after its readings are committed, so one that
arrives while the ingester is down is delivered when it comes back, and one that meets an
unreachable database is delivered again after a pause. Re-delivery never stores a reading twice.
"""

import logging
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import orjson
import paho.mqtt.client as mqtt
from django.conf import settings
from django.db import DatabaseError, InterfaceError, close_old_connections

from heartmon.core.errors import DomainError, InvalidInput, PayloadTooLarge, problem_body
from heartmon.devices.authentication import KeyRefused, use_key
from heartmon.devices.permissions import IsActiveDevice, KeyMatchesDevice
from heartmon.metrics.registry import MQTT_MESSAGES
from heartmon.telemetry.ingest import MAX_BYTES_PER_ITEM, ingest_batch

logger = logging.getLogger(__name__)

TOPIC_ROOT = "heartmon"
KEEPALIVE_SECONDS = 30
RECONNECT_DELAYS = (1, 30)  # paho doubles the delay from the first to the second
DATABASE_PAUSE_SECONDS = 5


# A handler takes (serial=, payload=) and returns what to publish on the errors topic, or None.
Handler = Callable[..., dict[str, Any] | None]
# Other topics of a device this ingester takes, by their last level, each with its handler and
# QoS: the apps above register theirs (the live app: "ecg", QoS 0, for a late frame is worthless).
DEVICE_TOPICS: dict[str, tuple[Handler, int]] = {}


def device_topic(serial: str, kind: str, root: str = TOPIC_ROOT) -> str:
    return f"{root}/devices/{serial}/{kind}"


def readings_topic(serial: str, root: str = TOPIC_ROOT) -> str:
    return f"{root}/devices/{serial}/readings"


def errors_topic(serial: str, root: str = TOPIC_ROOT) -> str:
    return f"{root}/devices/{serial}/errors"


@dataclass(frozen=True)
class Broker:
    host: str
    port: int
    username: str | None
    password: str | None
    tls: bool

    @classmethod
    def from_url(cls, url: str) -> "Broker":
        """mqtt://[user[:password]@]host[:port] (1883), or mqtts:// for TLS (8883)."""
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
            raise ValueError(f"{url!r} is not an mqtt:// or mqtts:// URL with a host.")
        tls = parts.scheme == "mqtts"
        return cls(
            host=parts.hostname,
            port=parts.port or (8883 if tls else 1883),
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            tls=tls,
        )


def handle_message(*, serial: str, payload: bytes | bytearray) -> dict[str, Any] | None:
    """Store one message's readings for the device `serial`; returns what to publish on its errors
    topic, or None when every reading was stored or was already stored."""
    reply = _reply_to(serial=serial, payload=payload)
    MQTT_MESSAGES.labels(_outcome(reply)).inc()
    return reply


def _reply_to(*, serial: str, payload: bytes | bytearray) -> dict[str, Any] | None:
    try:
        key, readings, atomic = read_message(payload, max_items=settings.READINGS_MAX_BATCH)
        try:
            device = use_key(key).device
        except KeyRefused as exc:
            return problem_body(401, "authentication_failed", str(exc))
        if device.serial_number != serial:
            return problem_body(403, "permission_denied", KeyMatchesDevice.message)
        if not device.is_active:
            return problem_body(403, "permission_denied", IsActiveDevice.message)
        result = ingest_batch(readings, sender=device, actor=device.as_actor(), atomic=atomic)
    except DomainError as exc:
        body = problem_body(exc.status, exc.code, exc.detail, title=exc.title, errors=exc.errors)
        return body | exc.extensions
    return result.as_dict() if result.rejected else None


def read_message(payload: bytes | bytearray, *, max_items: int) -> tuple[str, list[Any], bool]:
    """The key, the readings and the atomic flag of a message, or a 400/413 domain error. A
    payload larger than a full batch can be is refused unparsed, as HTTP refuses it unread."""
    limit = max_items * MAX_BYTES_PER_ITEM
    if len(payload) > limit:
        raise PayloadTooLarge(
            f"A message holds at most {limit:,} bytes; this one has {len(payload):,}."
        )
    try:
        message = orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"The message is not valid JSON: {exc}.", code="malformed_json") from exc
    if not isinstance(message, dict):
        raise InvalidInput(
            'Send a JSON object: {"key": "<device key>", "readings": [...]}.',
            code="malformed_message",
        )
    key, readings, atomic = (
        message.get("key"),
        message.get("readings"),
        message.get("atomic", False),
    )
    if not isinstance(key, str) or not isinstance(readings, list) or not isinstance(atomic, bool):
        checks = (
            ("key", isinstance(key, str), "Give the device key as a string."),
            ("readings", isinstance(readings, list), "Send the readings as a JSON array."),
            ("atomic", isinstance(atomic, bool), "Give true or false."),
        )
        errors = {name: [hint] for name, valid, hint in checks if not valid}
        raise InvalidInput("The message is malformed.", code="malformed_message", errors=errors)
    if len(readings) > max_items:
        raise PayloadTooLarge(
            f"A batch holds at most {max_items} readings; this one has {len(readings)}. "
            "Split it into smaller messages."
        )
    return key, readings, atomic


class Ingester:
    """The subscriber: `run()` blocks until `stop()` (from another thread or a signal handler).
    paho reconnects by itself when the broker goes away; after a database failure the ingester
    disconnects on purpose, pauses, and reconnects, so the broker delivers the message again."""

    def __init__(self, *, url: str, client_id: str, root: str = TOPIC_ROOT) -> None:
        self.broker = Broker.from_url(url)
        self.root = root
        self.subscribed = threading.Event()  # set once the first subscription is in place
        self._stopping = threading.Event()
        self._pause = 0.0
        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=client_id,
            clean_session=False,
            protocol=mqtt.MQTTv311,
        )
        client.manual_ack_set(True)
        client.reconnect_delay_set(*RECONNECT_DELAYS)
        if self.broker.username is not None:
            client.username_pw_set(self.broker.username, self.broker.password)
        if self.broker.tls:
            client.tls_set(cert_reqs=ssl.CERT_REQUIRED)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_subscribe = self._on_subscribe
        client.on_message = self._on_message
        self.client = client

    def run(self) -> None:
        while not self._stopping.is_set():
            self._pause = 0.0
            self.client.connect_async(self.broker.host, self.broker.port, KEEPALIVE_SECONDS)
            self.client.loop_forever(retry_first_connection=True)
            self._stopping.wait(self._pause)

    def stop(self) -> None:
        self._stopping.set()
        self.client.disconnect()

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any
    ) -> None:
        if reason.is_failure:
            logger.warning("MQTT broker %s refused the connection: %s", self.broker.host, reason)
            return
        if self._stopping.is_set():
            client.disconnect()
            return
        others = [
            (device_topic("+", kind, self.root), qos) for kind, (_, qos) in DEVICE_TOPICS.items()
        ]
        client.subscribe([(readings_topic("+", self.root), 1), *others])
        logger.info(
            "Connected to MQTT broker %s:%s (%s)",
            self.broker.host,
            self.broker.port,
            "resumed session" if flags.session_present else "new session",
        )

    def _on_subscribe(
        self, client: mqtt.Client, userdata: Any, mid: int, reasons: Any, properties: Any
    ) -> None:
        topic = readings_topic("+", self.root)
        if any(reason.is_failure for reason in reasons):
            logger.error("The MQTT broker refused the subscription to %s: %s", topic, reasons)
            return
        logger.info("Subscribed to %s (QoS 1)", topic)
        self.subscribed.set()

    def _on_disconnect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any
    ) -> None:
        if self._stopping.is_set() or self._pause:
            return
        logger.warning(
            "Lost the MQTT broker %s:%s (%s); reconnecting within %s s",
            self.broker.host,
            self.broker.port,
            reason,
            RECONNECT_DELAYS[1],
        )

    def _on_message(self, client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        serial, kind = message.topic.split("/")[-2:]
        handle = DEVICE_TOPICS[kind][0] if kind in DEVICE_TOPICS else handle_message
        close_old_connections()
        try:
            reply = handle(serial=serial, payload=message.payload)
        except (DatabaseError, InterfaceError):
            logger.exception(
                "Database unavailable: the message from %s stays unacknowledged; reconnecting "
                "in %s s for the broker to deliver it again",
                serial,
                DATABASE_PAUSE_SECONDS,
            )
            self._pause = DATABASE_PAUSE_SECONDS
            client.disconnect()
            return
        except Exception:
            # Acknowledged all the same: one message that trips a bug must not come back forever.
            logger.exception("Failed to process a message from %s", serial)
            MQTT_MESSAGES.labels("failed").inc()
            reply = problem_body(500, "server_error", "The server failed to process the message.")
        finally:
            close_old_connections()
        if reply is not None:
            logger.info("Refused readings from %s: %s", serial, reply.get("detail", "some items"))
            client.publish(errors_topic(serial, self.root), orjson.dumps(reply), qos=1)
        client.ack(message.mid, message.qos)


def _outcome(reply: dict[str, Any] | None) -> str:
    """What became of a message, for the metrics."""
    if reply is None:
        return "stored"
    return "partly_refused" if "stored" in reply else "refused"
