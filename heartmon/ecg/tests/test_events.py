"""GET /recordings/{id}/events/: pauses, asystole and segment quality from the analysis; the
same through `recording_events` for the alarm engine."""

from datetime import timedelta

import numpy as np
import pytest

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem
from heartmon.ecg.events import recording_events
from heartmon.ecg.models import Recording
from heartmon.ecg.tests import signals


def _url(recording) -> str:
    return f"/api/v1/ecg/recordings/{recording.pk}/events/"


@pytest.fixture
def paused(upload, django_capture_on_commit_callbacks) -> Recording:
    """40 s of record 100 with 4.5 s of its beats cut out at 20 s (the baseline kept)."""
    samples = signals.mitdb(40)
    cut = slice(20 * signals.RATE, int(24.5 * signals.RATE))
    samples[cut] = np.median(samples, axis=0).astype(np.int16) + np.random.default_rng(0).integers(
        -2, 3, size=(cut.stop - cut.start, 2), dtype=np.int16
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(samples=samples)
    assert response.status_code == 201, response.content
    return Recording.objects.get(pk=response.json()["id"])


def test_a_pause_comes_with_its_time_and_the_segments_with_their_quality(paused, as_dana):
    body = as_dana.get(_url(paused)).json()

    assert [event["kind"] for event in body["events"]] == ["asystole"]
    event = body["events"][0]
    assert 19 < event["offset_s"] < 20.5
    assert event["duration_s"] >= 4
    assert len(body["quality"]) == 4
    assert body["quality"][0] == {
        "start": "2024-03-01T08:00:00Z",
        "offset_s": 0.0,
        "duration_s": 10.0,
        "score": 1.0,
        "reason": "",
        "usable": True,
        "lead": "MLII",
    }


def test_the_summary_counts_the_pause(paused):
    assert (paused.pause_count, paused.asystole_count) == (1, 1)
    assert paused.longest_pause_s >= 4


def test_the_alarm_engine_reads_the_same_events(paused):
    found = recording_events(paused)

    assert [event.kind for event in found.events] == ["asystole"]
    assert found.events[0].start == paused.time_of(round(found.events[0].offset_s * 360))


def test_a_window_keeps_what_overlaps_it(paused, as_dana):
    start = (signals.START + timedelta(seconds=30)).isoformat()

    body = as_dana.get(_url(paused), {"start": start}).json()

    assert body["events"] == []
    assert [segment["offset_s"] for segment in body["quality"]] == [30.0]


def test_reading_them_is_audited(paused, as_dana):
    as_dana.get(_url(paused))

    event = AuditEvent.objects.filter(action=AuditAction.ECG_EVENTS_READ).get()
    assert (event.object_id, event.patient_id) == (str(paused.pk), paused.patient_id)


def test_before_the_analysis_there_are_none(recording, as_dana):
    body = as_dana.get(_url(recording)).json()

    assert (body["status"], body["events"], body["quality"]) == ("pending", [], [])


def test_bad_input_is_a_problem(recording, as_dana):
    assert_problem(as_dana.get(_url(recording), {"start": "yesterday-ish"}), 400)
    start, end = signals.START.isoformat(), (signals.START - timedelta(seconds=1)).isoformat()
    assert_problem(as_dana.get(_url(recording), {"start": start, "end": end}), 400)


def test_technicians_may_not_and_others_do_not_find_them(as_tess, as_charlie, recording):
    assert_problem(as_tess.get(_url(recording)), 403)
    assert_problem(as_charlie.get(_url(recording)), 404)
