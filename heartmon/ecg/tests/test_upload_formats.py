from datetime import timedelta

import numpy as np
import pytest

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
