"""Peers of the MQTT ingester in tests against the real broker (MQTT_URL): an ingester running
in a thread, plain clients, and waiting for what they do. Used by telemetry's and the simulator's
tests."""

import contextlib
import threading
import time
from collections.abc import Callable, Iterator

import paho.mqtt.client as mqtt

from heartmon.telemetry.mqtt import Broker, Ingester

WAIT_SECONDS = 15


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def client(url: str, client_id: str = "", *, clean: bool = True) -> mqtt.Client:
    broker = Broker.from_url(url)
    peer = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, clean_session=clean)
    peer.connect(broker.host, broker.port)
    return peer


@contextlib.contextmanager
def running(url: str, client_id: str, root: str) -> Iterator[Ingester]:
    ingester = Ingester(url=url, client_id=client_id, root=root)
    thread = threading.Thread(target=ingester.run, daemon=True)
    thread.start()
    try:
        assert ingester.subscribed.wait(WAIT_SECONDS), "the ingester did not subscribe"
        yield ingester
    finally:
        ingester.stop()
        thread.join(WAIT_SECONDS)
        assert not thread.is_alive()


def forget_session(url: str, client_id: str) -> None:
    """Connecting with a clean session ends the persistent one the test left on the broker."""
    peer = client(url, client_id, clean=True)
    peer.disconnect()
