"""GET /recordings/{id}/beats/: the analysis' R peaks as sample indices, seconds and times."""

from datetime import timedelta

import numpy as np

from heartmon.core.testing import assert_problem
from heartmon.ecg import storage
from heartmon.ecg.tests import signals


def _url(recording) -> str:
    return f"/api/v1/ecg/recordings/{recording.pk}/beats/"


def test_beats_come_as_samples_seconds_and_times(as_dana, recording):
    storage.write_beats(recording, np.array([90, 450, 720 + 180]))

    body = as_dana.get(_url(recording)).json()

    assert body["count"] == 3
    assert body["samples"] == [90, 450, 900]
    assert body["seconds"] == [0.25, 1.25, 2.5]
    assert body["times"] == [
        "2024-03-01T08:00:00.250Z",
        "2024-03-01T08:00:01.250Z",
        "2024-03-01T08:00:02.500Z",
    ]
    assert body["sample_rate"] == 360


def test_a_window_narrows_the_beats(as_dana, recording):
    storage.write_beats(recording, np.array([90, 450, 900]))
    start = (signals.START + timedelta(seconds=1.25)).isoformat()
    end = (signals.START + timedelta(seconds=2.5)).isoformat()

    body = as_dana.get(_url(recording), {"start": start, "end": end}).json()

    assert body["samples"] == [450]


def test_before_the_analysis_there_are_no_beats(as_dana, recording):
    body = as_dana.get(_url(recording)).json()

    assert (body["status"], body["count"], body["samples"]) == ("pending", 0, [])


def test_beats_are_read_again_after_reanalysis(recording):
    storage.write_beats(recording, np.array([1, 2, 3]))
    storage.write_beats(recording, np.array([10, 20]))

    assert storage.read_beats(recording).tolist() == [10, 20]


def test_technicians_may_not_and_others_do_not_find_them(as_tess, as_charlie, recording):
    assert_problem(as_tess.get(_url(recording)), 403)
    assert_problem(as_charlie.get(_url(recording)), 404)
    assert_problem(as_charlie.get(_url(recording), {"start": "x"}), 400)
