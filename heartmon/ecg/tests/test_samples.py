"""GET /recordings/{id}/samples/: a window in mV, downsampled on request, or raw int16."""

from datetime import timedelta

import numpy as np
import pytest
from django.core.files.storage import default_storage

from heartmon.audit.models import AuditEvent
from heartmon.core.testing import assert_problem
from heartmon.ecg import windows
from heartmon.ecg.tests import signals


def _url(recording) -> str:
    return f"/api/v1/ecg/recordings/{recording.pk}/samples/"


def _at(seconds: float) -> str:
    return (signals.START + timedelta(seconds=seconds)).isoformat()


def test_a_window_across_chunk_boundaries_comes_in_millivolts(as_dana, recording):
    response = as_dana.get(_url(recording), {"start": _at(25), "end": _at(65)})

    assert response.status_code == 200, response.content
    body = response.json()
    expected = signals.millivolts(signals.mitdb(40, offset=25))
    np.testing.assert_allclose(np.array(body["values"]).T, expected, atol=1e-6)
    assert body["first_sample"] == 25 * 360
    assert body["sample_count"] == 40 * 360
    assert body["leads"] == ["MLII", "V5"]
    assert body["units"] == "mV"
    assert body["downsampled"] is False
    assert body["times"] is None
    assert body["start"] == "2024-03-01T08:00:25Z"


def test_without_a_window_the_whole_recording_comes(as_bob, recording):
    body = as_bob.get(_url(recording)).json()

    assert body["sample_count"] == 70 * 360
    assert len(body["values"][0]) == 70 * 360


def test_times_between_samples_take_the_next_sample(as_dana, recording):
    body = as_dana.get(_url(recording), {"start": _at(1.0001), "end": _at(1.01)}).json()

    assert body["first_sample"] == 361
    assert body["sample_count"] == 3  # samples 361, 362, 363 (at 1.00278 ... 1.00833 s)


def test_a_window_outside_the_recording_is_empty(as_dana, recording):
    body = as_dana.get(_url(recording), {"start": _at(100), "end": _at(200)}).json()

    assert body["sample_count"] == 0
    assert body["values"] == [[], []]


def test_leads_can_be_picked(as_dana, recording):
    body = as_dana.get(_url(recording), {"leads": "V5", "end": _at(1)}).json()

    assert body["leads"] == ["V5"]
    expected = signals.millivolts(signals.mitdb(1))[:, 1]
    np.testing.assert_allclose(body["values"][0], expected, atol=1e-6)


def test_downsampling_keeps_every_peak_and_trough(as_dana, recording):
    response = as_dana.get(_url(recording), {"max_points": 504})  # 252 buckets of 100 samples

    body = response.json()
    values = np.array(body["values"])
    assert body["downsampled"] is True
    assert values.shape == (2, 504)
    assert body["times"][:4] == pytest.approx([0, 50 / 360, 100 / 360, 150 / 360])
    full = signals.millivolts(signals.mitdb(70)).reshape(252, 100, 2)
    pairs = values.reshape(2, 252, 2)
    np.testing.assert_allclose(pairs.max(axis=2), full.max(axis=1).T, atol=1e-6)
    np.testing.assert_allclose(pairs.min(axis=2), full.min(axis=1).T, atol=1e-6)


def test_min_max_orders_each_pair_in_time():
    samples = np.array([[5], [1], [9], [2], [0], [7]], dtype=np.int16)

    offsets, points = windows.min_max(samples, max_points=4)

    assert points[:, 0].tolist() == [1, 9, 0, 7]  # bucket 1: min then max; bucket 2: min, max
    assert offsets.tolist() == [0, 1, 3, 4]
    _, points = windows.min_max(np.array([[9], [1], [5]], dtype=np.int16), max_points=2)
    assert points[:, 0].tolist() == [9, 1]  # the maximum came first


def test_fewer_samples_than_max_points_come_whole(as_dana, recording):
    body = as_dana.get(_url(recording), {"end": _at(0.1), "max_points": 1000}).json()

    assert body["downsampled"] is False
    assert len(body["values"][0]) == 36


def test_raw_int16_comes_with_its_scale_in_headers(as_dana, recording):
    response = as_dana.get(
        _url(recording), {"start": _at(29), "end": _at(31)}, HTTP_ACCEPT="application/octet-stream"
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    samples = np.frombuffer(response.content, dtype="<i2").reshape(-1, 2)
    np.testing.assert_array_equal(samples, signals.mitdb(2, offset=29))
    assert response["X-Sample-Rate"] == "360.0"
    assert response["X-First-Sample"] == str(29 * 360)
    assert response["X-Lead-Names"] == "MLII,V5"
    assert response["X-Gains"] == "200.0,200.0"
    assert response["X-Baselines"] == "1024.0,1024.0"
    assert response["X-Start-Time"] == "2024-03-01T08:00:29+00:00"


def test_a_window_reads_only_the_chunks_it_needs(as_dana, recording):
    default_storage.delete(f"{recording.storage_prefix}/chunks/0000000.zst")

    assert as_dana.get(_url(recording), {"start": _at(30), "end": _at(60)}).status_code == 200


def test_reads_are_audited(as_dana, dana, recording):
    as_dana.get(_url(recording), {"start": _at(1), "leads": "MLII"})

    event = AuditEvent.objects.get(action="ecg.signal_read")
    assert event.actor == dana
    assert event.patient_id == recording.patient_id
    assert event.object_id == str(recording.pk)
    assert event.details["query"] == "start=2024-03-01T08%3A00%3A01%2B00%3A00&leads=MLII"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "soon"}, "start"),
        ({"start": _at(10), "end": _at(5)}, "end"),
        ({"leads": "V1"}, "leads"),
        ({"max_points": 3}, "max_points"),
        ({"max_points": "many"}, "max_points"),
    ],
)
def test_bad_parameters_are_refused_and_not_audited(as_dana, recording, query, field):
    assert_problem(as_dana.get(_url(recording), query), 400, field=field)
    assert not AuditEvent.objects.filter(action="ecg.signal_read").exists()


def test_a_window_too_large_for_full_resolution_is_refused(as_dana, recording, monkeypatch):
    monkeypatch.setattr(windows, "MAX_VALUES", 1000)

    assert_problem(as_dana.get(_url(recording)), 400, field="end")
    assert as_dana.get(_url(recording), {"max_points": 100}).status_code == 200


def test_raw_samples_do_not_downsample(as_dana, recording):
    response = as_dana.get(
        _url(recording), {"max_points": 100}, HTTP_ACCEPT="application/octet-stream"
    )

    assert_problem(response, 400, field="max_points")


def test_technicians_and_staff_may_not_read_samples(as_tess, as_sam, recording):
    assert_problem(as_tess.get(_url(recording)), 403)
    assert_problem(as_sam.get(_url(recording)), 403)


def test_another_organizations_recording_is_not_found(as_charlie, recording):
    assert_problem(as_charlie.get(_url(recording)), 404)
    assert not AuditEvent.objects.filter(action="ecg.signal_read").exists()
