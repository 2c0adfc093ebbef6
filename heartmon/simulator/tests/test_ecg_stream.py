"""The simulator's live ECG: record 100's lead MLII, looped, in frames of 250 ms with a running
sample index; streamed over MQTT into a live recording (against the real broker)."""

import time
import uuid
from datetime import timedelta

import numpy as np
import pytest
import wfdb
from django.conf import settings

from heartmon.devices.models import Device
from heartmon.ecg.models import Recording
from heartmon.live import frames
from heartmon.live.streaming import end_stream
from heartmon.simulator.ecg import RECORD, EcgSource, EcgStreamer, MqttEcgSender, record
from heartmon.simulator.fleet import SimulatedDevice, prepare_fleet
from heartmon.telemetry.tests.mqtt_support import running, wait_until


def test_a_source_sends_what_was_measured_in_frames_of_250_ms():
    source = EcgSource(SimulatedDevice("SIM-001", "key", ()), number=0)

    sent = [frames.decode(frame) for frame in source.due(source.started + timedelta(seconds=1))]

    assert [frame.first_sample for frame in sent] == [0, 90, 180, 270]
    assert {(len(frame.samples), frame.sample_rate, frame.leads) for frame in sent} == {
        (90, 360.0, ("MLII",))
    }
    assert sent[1].first_time == source.started + timedelta(seconds=0.25)
    assert np.array_equal(sent[0].samples, record()[0][:90])
    assert source.due(source.started + timedelta(seconds=1.1)) == []


def test_the_trace_is_the_records_millivolts():
    samples, _, gain = record()
    reference = wfdb.rdrecord(str(RECORD), channel_names=["MLII"]).p_signal

    assert np.allclose(samples / gain, reference, atol=1e-6)


def test_the_record_loops_and_each_device_starts_elsewhere():
    samples = record()[0]
    later = EcgSource(SimulatedDevice("SIM-002", "key", ()), number=1)
    later.sent = len(samples) - later.offset - 45  # 45 samples before the record's end

    frame = frames.decode(later._frame(later.sent, 90))

    assert later.offset > 0
    assert np.array_equal(frame.samples, np.concatenate([samples[-45:], samples[:45]]))


@pytest.mark.skipif(not settings.MQTT_URL, reason="needs a broker: set MQTT_URL")
@pytest.mark.django_db(transaction=True)
def test_streamed_over_mqtt_it_becomes_a_live_recording(org_a, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    root = f"test-{uuid.uuid4().hex[:8]}"
    fleet = prepare_fleet(count=1, organization=org_a, actor=alice.as_actor(), seed=1)
    with running(settings.MQTT_URL, f"sim-{root}", root):
        streamer = EcgStreamer(fleet.devices, MqttEcgSender(settings.MQTT_URL, root=root))
        with streamer:
            wait_until(lambda: streamer.frames >= 8)
        time.sleep(1)  # for the ingester to take the last frames
    end_stream(Device.objects.get(serial_number=fleet.devices[0].serial).pk)
    recording = Recording.objects.get()
    assert recording.sample_count == streamer.frames * 90
    assert recording.leads == ["MLII"]
