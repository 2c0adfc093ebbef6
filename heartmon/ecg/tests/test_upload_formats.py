from datetime import timedelta

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from heartmon.ecg import storage
from heartmon.ecg.models import Recording
from heartmon.ecg.tests import signals


@pytest.mark.parametrize("format_name", ["wfdb", "edf", "csv", "int16"])
def test_each_format_is_stored_sample_for_sample(upload, format_name, patient, device, alice):
    response = upload(format=format_name, seconds=40)

    assert response.status_code == 201, response.content
    body = response.json()
    recording = Recording.objects.get(pk=body["id"])
    expected = signals.millivolts(signals.mitdb(40))
    stored = storage.physical(recording, storage.read_samples(recording, 0, 10**9))
    np.testing.assert_allclose(stored, expected, atol=1e-9)
    assert body["sample_count"] == 40 * 360
    assert body["leads"] == ["MLII", "V5"]
    assert body["sample_rate"] == 360
    assert body["format"] == format_name
    assert recording.end_time == signals.START + timedelta(seconds=40)
    assert recording.patient == patient
    assert recording.device == device
    assert recording.uploaded_by == alice
    assert recording.status in {"pending", "done"}


def test_wfdb_format_16_is_read_too(upload):
    header, data = signals.wfdb_files(signals.mitdb(5), fmt="16")

    response = upload(
        header=SimpleUploadedFile("rec.hea", header), file=SimpleUploadedFile("rec.dat", data)
    )

    assert response.status_code == 201, response.content
    recording = Recording.objects.get()
    np.testing.assert_array_equal(storage.read_samples(recording, 0, 10**9), signals.mitdb(5))


def test_microvolts_are_served_as_millivolts(upload):
    edf = signals.edf_file(signals.mitdb(5), unit="uV")

    response = upload(format="edf", file=SimpleUploadedFile("uv.edf", edf))

    assert response.status_code == 201, response.content
    recording = Recording.objects.get()
    assert recording.units == ["uV", "uV"]
    np.testing.assert_allclose(recording.gains, [200, 200])  # 0.2 per µV
    stored = storage.physical(recording, storage.read_samples(recording, 0, 10**9))
    np.testing.assert_allclose(stored, signals.millivolts(signals.mitdb(5)), atol=1e-6)


def test_an_edf_annotation_channel_is_no_lead(upload, device):
    device.lead_count = 2  # the EDF+ file holds two leads and an annotation channel
    device.save()
    edf = signals.edf_file(signals.mitdb(5))

    response = upload(format="edf", file=SimpleUploadedFile("rec.edf", edf))

    assert response.status_code == 201, response.content
    assert Recording.objects.get().leads == signals.LEADS


def test_a_voltage_is_required(upload):
    edf = signals.edf_file(signals.mitdb(5), unit="mmHg")

    response = upload(format="edf", file=SimpleUploadedFile("bp.edf", edf))

    assert response.status_code == 400
    assert "not a voltage" in response.json()["detail"]


def test_epoch_start_times_are_taken(upload):
    response = upload(start_time=str(int(signals.START.timestamp() * 1000)))

    assert response.status_code == 201, response.content
    assert Recording.objects.get().start_time == signals.START


def test_a_stated_end_time_within_a_second_is_taken(upload):
    response = upload(end_time=str(int(signals.START.timestamp()) + 10))

    assert response.status_code == 201, response.content
