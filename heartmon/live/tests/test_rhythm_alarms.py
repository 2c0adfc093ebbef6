"""A device streaming ECG live: a pause in a closed chunk raises a pause or asystole alarm with
its timeline; the next chunk with beats clears it (an asystole stays until acknowledged)."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from heartmon.alarms.models import Alarm
from heartmon.live import frames
from heartmon.live.tests.sockets import run
from heartmon.live.tests.streams import GAIN, LEADS, RATE, record_100
from heartmon.live.tests.test_device_socket import connected_device

pytestmark = pytest.mark.django_db(transaction=True)
WAIT = 15
HOLD = int(0.2 * RATE)  # the signal kept after the beat before the pause and before the one after


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def peak(signal: np.ndarray, second: float) -> int:
    """The R peak of lead MLII in the second from `second`."""
    start = int(second * RATE)
    return start + int(np.argmax(signal[start : start + int(RATE), 0]))


def with_pause(seconds: float, length: float = 65) -> np.ndarray:
    """Record 100 with no beat for `seconds` from its beat near 17 s: the line held flat between
    the beat before and the one after (the lead stays connected on both sides)."""
    signal = record_100()
    before, after = peak(signal, 17), peak(signal, 28)
    flat = np.repeat(signal[before + HOLD : before + HOLD + 1], int(seconds * RATE) - 2 * HOLD, 0)
    joined = np.concatenate([signal[: before + HOLD], flat, signal[after - HOLD :]])
    return joined[: int(length * RATE)]


def frames_of(samples: np.ndarray, start: datetime) -> list[bytes]:
    return [
        frames.encode(
            frames.Frame(
                None,
                at,
                start + timedelta(seconds=at / RATE),
                RATE,
                GAIN,
                LEADS,
                samples[at:][:360],
            )
        )
        for at in range(0, len(samples), 360)
    ]


def stream_with_pause(device_key: str, seconds: float, start: datetime) -> None:
    sent = frames_of(with_pause(seconds), start)

    async def scenario():
        communicator = await connected_device(device_key)
        for frame in sent:
            await communicator.send_to(bytes_data=frame)
        await communicator.disconnect(timeout=WAIT)

    run(scenario)


def rhythm_alarms(patient):
    """Beside them, the heart rate derived from the ECG falls to 20 bpm and alarms of its own."""
    return Alarm.objects.filter(patient=patient, condition__in=["asystole", "pause"])


def recent() -> datetime:
    return datetime.now(UTC) - timedelta(minutes=2)


def test_a_5_s_flat_line_raises_one_high_asystole_alarm_that_latches(
    monitored, device_key, patient, as_bob
):
    stream_with_pause(device_key, 5.0, recent())

    alarm = rhythm_alarms(patient).get()
    assert (alarm.condition, alarm.priority, alarm.latching) == ("asystole", "high", True)
    assert alarm.value == pytest.approx(5.0, abs=0.05)
    assert (alarm.active, alarm.closed_at) == (False, None)  # beats resumed; not acknowledged
    body = as_bob.get(f"/api/v1/alarms/{alarm.pk}/").json()
    raised = body["timeline"][0]
    assert raised["step"] == "raised"
    assert raised["details"]["recording"] == str(alarm.device.ecg_recordings.get().pk)
    assert raised["details"]["duration_s"] == pytest.approx(5.0, abs=0.05)
    steps = [entry["step"] for entry in body["timeline"]]
    assert steps == ["raised", "notified", "cleared"]


def test_a_3_5_s_pause_raises_a_medium_alarm_cleared_when_beats_resume(
    monitored, device_key, patient
):
    stream_with_pause(device_key, 3.5, recent())

    alarm = rhythm_alarms(patient).get()
    assert (alarm.condition, alarm.priority) == ("pause", "medium")
    assert alarm.value == pytest.approx(3.5, abs=0.05)
    assert alarm.closed_at is not None  # the next chunk had beats; a pause does not latch


def test_a_stream_older_than_5_minutes_raises_nothing(monitored, device_key, patient):
    stream_with_pause(device_key, 5.0, datetime.now(UTC) - timedelta(minutes=20))

    assert not rhythm_alarms(patient).exists()


def test_another_organization_sees_nothing_of_it(monitored, device_key, patient, as_charlie):
    stream_with_pause(device_key, 5.0, recent())

    alarm = rhythm_alarms(patient).get()
    assert as_charlie.get(f"/api/v1/alarms/{alarm.pk}/").status_code == 404
    assert as_charlie.get("/api/v1/alarms/").json()["count"] == 0
    assert as_charlie.get(f"/api/v1/alarms/?patient={patient.pk}").json()["count"] == 0
