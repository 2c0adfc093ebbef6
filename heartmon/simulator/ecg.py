"""Simulated live ECG: each streaming device sends lead MLII of MIT-BIH record 100 (kept with the
ECG app's tests in the source tree, ODC-By), looped, from a place of its own in the record, in
frames of 250 ms (`heartmon.live.frames`), over the device socket (`--via http`) or MQTT."""

import contextlib
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import numpy as np
import paho.mqtt.client as mqtt
import wfdb
from websockets.exceptions import WebSocketException
from websockets.sync.client import ClientConnection, connect

import heartmon.ecg
from heartmon.live import frames
from heartmon.simulator.fleet import SimulatedDevice
from heartmon.telemetry.mqtt import Broker, device_topic

RECORD = Path(heartmon.ecg.__file__).parent / "tests" / "data" / "mitdb-100" / "100"
LEAD = "MLII"
FRAME_SECONDS = 0.25
OFFSET_SECONDS = 173  # between two devices' places in the record


@cache
def record() -> tuple[np.ndarray, float, float]:
    """Lead MLII of record 100 as (samples, 1) int16 values about zero (the record's ADC values
    less its baseline, as a device's frames carry them: gain only), its rate and gain."""
    signal = wfdb.rdrecord(str(RECORD), physical=False, channel_names=[LEAD])
    samples = signal.d_signal.astype(np.int16) - np.int16(signal.baseline[0])
    return samples, float(signal.fs), float(signal.adc_gain[0])


class EcgSource:
    """One device's stream: frames of what it measured since the last, up to now."""

    def __init__(self, device: SimulatedDevice, number: int) -> None:
        self.device = device
        self.samples, self.rate, self.gain = record()
        self.offset = round(number * OFFSET_SECONDS * self.rate) % len(self.samples)
        self.started = datetime.now(UTC)
        self.sent = 0
        self.size = round(self.rate * FRAME_SECONDS)

    def due(self, now: datetime) -> list[bytes]:
        measured = int((now - self.started).total_seconds() * self.rate)
        out = []
        while measured - self.sent >= self.size:
            out.append(self._frame(self.sent, self.size))
            self.sent += self.size
        return out

    def _frame(self, first: int, count: int) -> bytes:
        where = (self.offset + first + np.arange(count)) % len(self.samples)
        frame = frames.Frame(
            None,
            first,
            self.started + timedelta(seconds=first / self.rate),
            self.rate,
            self.gain,
            (LEAD,),
            self.samples[where],
        )
        return frames.encode(frame)


class EcgSender(Protocol):
    refused: int

    def send(self, device: SimulatedDevice, frame: bytes) -> None: ...

    def close(self) -> None: ...


class SocketEcgSender:
    """One device socket (`/ws/v1/device/`) per device, opened at its first frame."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        self.url = f"{scheme}://{parts.netloc}{parts.path.rstrip('/')}/ws/v1/device/"
        self.sockets: dict[str, ClientConnection] = {}
        self.opened = contextlib.ExitStack()
        self.refused = 0

    def send(self, device: SimulatedDevice, frame: bytes) -> None:
        try:
            socket = self.sockets.get(device.serial) or self._open(device)
            socket.send(frame)
            while True:  # a refusal is a text message; a frame taken gets no answer
                socket.recv(timeout=0)
                self.refused += 1
        except TimeoutError:
            return
        except (OSError, WebSocketException):
            self.refused += 1
            self.sockets.pop(device.serial, None)

    def _open(self, device: SimulatedDevice) -> ClientConnection:
        headers = {"Authorization": f"Device {device.key}"}
        socket = self.opened.enter_context(
            connect(self.url, additional_headers=headers, open_timeout=10)
        )
        socket.recv(timeout=10)  # the welcome
        self.sockets[device.serial] = socket
        return socket

    def close(self) -> None:
        self.opened.close()


class MqttEcgSender:
    """QoS 0 on `<root>/devices/<serial>/ecg`: the key, a newline, the frame."""

    def __init__(self, url: str, *, root: str) -> None:
        broker = Broker.from_url(url)
        self.root = root
        self.refused = 0
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
        if broker.username is not None:
            self.client.username_pw_set(broker.username, broker.password)
        if broker.tls:
            self.client.tls_set()
        self.client.connect(broker.host, broker.port)
        self.client.loop_start()

    def send(self, device: SimulatedDevice, frame: bytes) -> None:
        topic = device_topic(device.serial, "ecg", self.root)
        self.client.publish(topic, device.key.encode() + b"\n" + frame, qos=0)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


class EcgStreamer:
    """A thread sending every device's due frames each FRAME_SECONDS until stopped."""

    def __init__(self, devices: Sequence[SimulatedDevice], sender: EcgSender) -> None:
        self.sources = [EcgSource(device, number) for number, device in enumerate(devices)]
        self.sender = sender
        self.frames = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name="ecg-streamer")

    def __enter__(self) -> "EcgStreamer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        self._thread.join(5)
        self.sender.close()

    def _run(self) -> None:
        while not self._stopping.wait(FRAME_SECONDS - time.monotonic() % FRAME_SECONDS):
            now = datetime.now(UTC)
            for source in self.sources:
                for frame in source.due(now):
                    self.sender.send(source.device, frame)
                    self.frames += 1
