"""/ws/v1/device/: a device streams ECG frames with its key; what it streams is shown to the
patient's watchers in 250 ms frames and stored as a recording equal to the stream."""

import asyncio
import hashlib
import time
from datetime import timedelta

import numpy as np
import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from heartmon.devices.services.keys import revoke_key
from heartmon.ecg import storage
from heartmon.ecg.models import Recording
from heartmon.live import frames
from heartmon.live.consumers.protocol import CLOSE_FORBIDDEN, CLOSE_UNAUTHENTICATED
from heartmon.live.tests.sockets import next_message, run, signed_in, socket, subscribe
from heartmon.live.tests.streams import samples_of, stream
from heartmon.telemetry.models import Reading, Source

# Frames are taken and recorded in threads of their own: the test database must see commits.
pytestmark = pytest.mark.django_db(transaction=True)
WAIT = 15  # seconds for a socket's last frames to be recorded once it closes


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def streaming():
    return run


async def eventually(query, seconds: float = 10):
    """The query's answer once it has one (frames are recorded in the background)."""
    deadline = time.monotonic() + seconds
    while not (answer := await database_sync_to_async(query)()) and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    return answer


def device_socket(key: str):
    return socket("/ws/v1/device/", headers=[("authorization", f"Device {key}")])


async def connected_device(key: str):
    communicator = device_socket(key)
    await communicator.connect()
    welcome = await communicator.receive_json_from()
    assert welcome["type"] == "welcome"
    return communicator


def test_the_stored_recording_equals_the_stream(monitored, device_key, patient, streaming):
    sent = stream(75)

    async def scenario():
        communicator = await connected_device(device_key)
        for frame in sent:
            await communicator.send_to(bytes_data=frame)
        await communicator.disconnect(timeout=WAIT)

    streaming(scenario)
    recording = Recording.objects.get(device=monitored)
    streamed = samples_of(sent)
    stored = storage.read_samples(recording, 0, recording.sample_count)
    assert recording.sample_count == len(streamed) == 75 * 360
    assert (
        hashlib.sha256(stored.tobytes()).hexdigest()
        == hashlib.sha256(streamed.tobytes()).hexdigest()
    )
    assert recording.checksum == hashlib.sha256(streamed.astype("<i2").tobytes()).hexdigest()
    assert (recording.patient_id, recording.leads, recording.sample_rate) == (
        patient.pk,
        ["MLII", "V5"],
        360.0,
    )
    assert recording.chunk_samples == 30 * 360
    with storage.open_original(recording, recording.original_name) as original:
        assert original.read() == streamed.astype("<i2").tobytes()
    recording.refresh_from_db()
    assert recording.status == "done"  # analysed in full once closed
    assert recording.beat_count is not None
    assert 70 <= recording.beat_count <= 100


def test_a_gap_in_the_sample_index_starts_another_recording(monitored, device_key, streaming):
    start = timezone.now() - timedelta(minutes=3)
    before = stream(40, start=start)
    after = stream(35, first=50 * 360, start=start)  # 10 s missing

    async def scenario():
        communicator = await connected_device(device_key)
        for frame in before + after:
            await communicator.send_to(bytes_data=frame)
        await communicator.disconnect(timeout=WAIT)

    streaming(scenario)
    first, second = Recording.objects.filter(device=monitored).order_by("start_time")
    assert first.sample_count == 40 * 360
    assert second.sample_count == 35 * 360
    gap = (second.start_time - first.end_time).total_seconds()
    assert gap == pytest.approx(10, abs=0.01)
    assert np.array_equal(storage.read_samples(second, 0, second.sample_count), samples_of(after))


def test_the_heart_rate_follows_each_closed_chunk(monitored, device_key, patient, streaming):
    async def scenario():
        communicator = await connected_device(device_key)
        for frame in stream(31):  # one chunk closes; the socket stays open
            await communicator.send_to(bytes_data=frame)
        rates = await eventually(
            lambda: list(Reading.objects.filter(patient=patient, source=Source.ECG))
        )
        assert len(rates) >= 25
        assert all(60 <= reading.value <= 90 for reading in rates)
        await communicator.disconnect()

    streaming(scenario)


def test_watchers_get_frames_of_250_ms(bob, monitored, device_key, patient, streaming):
    sent = stream(2, per_frame=500)

    async def scenario():
        watcher = await signed_in(bob)
        await subscribe(watcher, f"patient:{patient.pk}")
        communicator = await connected_device(device_key)
        for frame in sent:
            await communicator.send_to(bytes_data=frame)
        shown = [frames.decode(await watcher.receive_from()) for _ in range(8)]
        assert [frame.first_sample for frame in shown] == [90 * index for index in range(8)]
        assert {len(frame.samples) for frame in shown} == {90}
        assert {frame.patient_id for frame in shown} == {patient.pk}
        together = np.concatenate([frame.samples for frame in shown])
        assert np.array_equal(together, samples_of(sent)[: 8 * 90])
        await communicator.disconnect()
        await watcher.disconnect()

    streaming(scenario)


def test_a_device_assigned_to_nobody_is_told(device, device_key):
    async def scenario():
        communicator = await connected_device(device_key)
        await communicator.send_to(bytes_data=stream(1)[0])
        error = await communicator.receive_json_from()
        assert error["problem"]["status"] == 409
        assert error["request"] == {"type": "frame"}
        await communicator.disconnect()

    run(scenario)
    assert not Recording.objects.exists()


def test_a_malformed_frame_is_refused(monitored, device_key):
    async def scenario():
        communicator = await connected_device(device_key)
        await communicator.send_to(bytes_data=b"HMEG not a frame")
        assert (await communicator.receive_json_from())["problem"]["status"] == 400
        await communicator.send_json_to({"type": "ping"})
        assert await communicator.receive_json_from() == {"type": "pong"}
        await communicator.disconnect()

    run(scenario)


@pytest.mark.parametrize("header", ["", "Device hmd_00000000_nope", "Bearer x"])
def test_a_device_without_a_valid_key_is_refused(header):
    async def scenario():
        communicator = socket("/ws/v1/device/", headers=[("authorization", header)])
        await communicator.connect()
        assert (await next_message(communicator))["problem"]["status"] == 401
        assert (await communicator.receive_output())["code"] == CLOSE_UNAUTHENTICATED

    run(scenario)


def test_an_inactive_device_is_refused(device, device_key):
    device.status = "inactive"
    device.save()

    async def scenario():
        communicator = device_socket(device_key)
        await communicator.connect()
        error = await next_message(communicator)
        assert error["problem"]["status"] in (401, 403)
        assert (await communicator.receive_output())["code"] in (
            CLOSE_UNAUTHENTICATED,
            CLOSE_FORBIDDEN,
        )

    run(scenario)


def test_a_key_revoked_while_streaming_closes_the_socket(settings, monitored, device_key, alice):
    settings.LIVE_AUTH_CHECK_SECONDS = 0

    async def scenario():
        communicator = await connected_device(device_key)
        key = await database_sync_to_async(lambda: monitored.keys.get())()
        await database_sync_to_async(revoke_key)(key=key, actor=alice.as_actor())
        await communicator.send_to(bytes_data=stream(1)[0])
        assert (await communicator.receive_json_from())["problem"]["status"] == 401
        assert (await communicator.receive_output())["code"] == CLOSE_UNAUTHENTICATED

    run(scenario)
