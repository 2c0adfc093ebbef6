"""A client that reads too slowly loses ECG frames (counted, and told), never vitals or alarms;
heartbeats both ways, and a silent client is closed."""

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any

import numpy as np
import orjson
import pytest
from asgiref.sync import sync_to_async
from channels.testing.websocket import WebsocketCommunicator

from heartmon.live import frames
from heartmon.live.consumers.protocol import CLOSE_SILENT
from heartmon.live.publish import publish_alarm, publish_frame, publish_vitals
from heartmon.live.tests.sockets import next_message, nothing_more, run, signed_in, subscribe

pytestmark = pytest.mark.django_db


class SlowClient(WebsocketCommunicator):
    """A client whose connection holds only a few messages it has not read yet: the server's
    sends wait, as over a congested network."""

    _output_queue: asyncio.Queue[dict[str, Any]] | None

    @property
    def output_queue(self) -> asyncio.Queue[dict[str, Any]]:
        if self._output_queue is None:
            self._output_queue = asyncio.Queue(maxsize=4)
        return self._output_queue


def ecg_frame(patient_id: uuid.UUID, first: int) -> bytes:
    samples = np.zeros((62, 3), dtype=np.int16)
    frame = frames.Frame(
        patient_id, first, datetime.now(UTC), 250.0, 200.0, ("I", "II", "III"), samples
    )
    return frames.encode(frame)


def test_a_slow_client_loses_frames_but_no_alarm_or_vitals(bob, patient, org_a, settings):
    settings.LIVE_MAX_WAITING_FRAMES = 8

    def flood() -> None:
        for index in range(200):
            publish_frame(patient.pk, ecg_frame(patient.pk, index * 62))
            if index % 50 == 0:
                at = datetime.now(UTC).isoformat()
                publish_vitals(patient.pk, {"spo2": {"value": 90 + index / 50, "at": at}})
                publish_alarm(
                    organization_id=org_a.pk, event="raised", alarm={"id": index}, patient_id=None
                )

    async def scenario():
        communicator = await signed_in(bob, client=SlowClient)
        await subscribe(communicator, f"patient:{patient.pk}")
        await subscribe(communicator, "alarms")
        await sync_to_async(flood)()
        await asyncio.sleep(0.5)  # reading nothing meanwhile
        received = await drain(communicator)
        texts = [message for message in received if isinstance(message, dict)]
        binary = [message for message in received if isinstance(message, bytes)]
        alarms = [message["alarm"]["id"] for message in texts if message["type"] == "alarm"]
        assert alarms == [0, 50, 100, 150]
        vitals = [message for message in texts if message["type"] == "vitals"]
        assert vitals[-1]["values"]["spo2"]["value"] == 93.0
        dropped = sum(message["ecg_frames"] for message in texts if message["type"] == "dropped")
        assert dropped > 0
        assert len(binary) + dropped == 200
        await communicator.disconnect()

    run(scenario)


async def drain(communicator: WebsocketCommunicator) -> list:
    """Everything the server sends until it is quiet for half a second."""
    received: list = []
    while True:
        try:  # not receive_output: its timeout cancels the application
            output = await asyncio.wait_for(communicator.output_queue.get(), 0.5)
        except TimeoutError:
            return received
        if output.get("bytes") is not None:
            received.append(output["bytes"])
        elif output.get("text"):
            received.append(orjson.loads(output["text"]))


def test_frames_reach_a_client_that_keeps_up(bob, patient):
    async def scenario():
        communicator = await signed_in(bob)
        await subscribe(communicator, f"patient:{patient.pk}")
        sent = ecg_frame(patient.pk, 0)
        await sync_to_async(publish_frame)(patient.pk, sent)
        assert await communicator.receive_from() == sent
        await communicator.disconnect()

    run(scenario)


def test_the_server_pings_and_answers_pings(bob, settings):
    settings.LIVE_HEARTBEAT_SECONDS = 0.2

    async def scenario():
        communicator = await signed_in(bob)
        assert (await communicator.receive_json_from(1))["type"] == "ping"
        await communicator.send_json_to({"type": "ping"})
        assert await next_message(communicator) == {"type": "pong"}
        await communicator.disconnect()

    run(scenario)


def test_a_silent_client_is_closed(bob, settings):
    settings.LIVE_HEARTBEAT_SECONDS = 0.1
    settings.LIVE_IDLE_SECONDS = 0.5

    async def scenario():
        communicator = await signed_in(bob)
        for _ in range(3):  # answering keeps it open
            await asyncio.sleep(0.3)
            await communicator.send_json_to({"type": "pong"})
        while (output := await communicator.receive_output(2))["type"] != "websocket.close":
            pass
        assert output["code"] == CLOSE_SILENT

    run(scenario)


def test_frames_stop_after_unsubscribing(alice, patient):
    async def scenario():
        communicator = await signed_in(alice)
        await subscribe(communicator, f"patient:{patient.pk}")
        await communicator.send_json_to({"type": "unsubscribe", "stream": f"patient:{patient.pk}"})
        await next_message(communicator)
        await sync_to_async(publish_frame)(patient.pk, ecg_frame(patient.pk, 0))
        assert await nothing_more(communicator)
        await communicator.disconnect()

    run(scenario)
