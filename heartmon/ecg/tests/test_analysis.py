"""Analysis after upload: status, beats, summary, derived heart rate, failures, re-runs."""

import threading
from datetime import timedelta

import numpy as np
import pytest
import time_machine
import wfdb
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.actor import Actor
from heartmon.ecg.models import ProcessingStatus, Recording
from heartmon.ecg.services import analysis
from heartmon.ecg.services.analysis import FILES_FAILED, analyse_recording, analysis_lead
from heartmon.ecg.storage import delete_files, read_beats
from heartmon.ecg.tasks import process_recording
from heartmon.ecg.tests import signals
from heartmon.telemetry.models import Metric, Reading, Source

ANALYSIS = Actor.of_system("ecg-analysis")

NOW = signals.START + timedelta(days=1)
SECONDS = 60
BEAT_SYMBOLS = frozenset("NLRBAaJSVrFejnE/fQ?")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def analysed(upload, django_capture_on_commit_callbacks):
    """A minute of record 100, uploaded; the analysis ran after the upload's commit."""
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(seconds=SECONDS)
    assert response.status_code == 201, response.content
    return Recording.objects.get(pk=response.json()["id"])


def reference_beats() -> np.ndarray:
    annotation = wfdb.rdann(str(signals.RECORD), "atr", sampto=SECONDS * signals.RATE)
    beats = zip(annotation.sample, annotation.symbol, strict=True)
    return np.array([sample for sample, symbol in beats if symbol in BEAT_SYMBOLS])


def test_the_upload_answers_pending_and_the_analysis_follows(
    upload, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(seconds=SECONDS)
        assert response.json()["status"] == ProcessingStatus.PENDING

    recording = Recording.objects.get(pk=response.json()["id"])
    assert recording.status == ProcessingStatus.DONE
    assert recording.status_reason == ""
    assert recording.processed_at == NOW


def test_it_stores_the_beats_and_the_summary(analysed) -> None:
    reference = reference_beats()
    beats = read_beats(analysed)
    assert len(beats) == len(reference) == analysed.beat_count
    assert np.all(np.abs(beats - reference) <= 0.05 * signals.RATE)
    assert 70 < analysed.mean_hr < 80
    assert analysed.min_hr <= analysed.mean_hr <= analysed.max_hr
    assert analysed.sdnn_ms > 0
    assert analysed.rmssd_ms > 0
    assert analysed.signal_quality > 0.9


def test_the_beats_endpoint_serves_them(analysed, as_dana) -> None:
    response = as_dana.get(f"/api/v1/ecg/recordings/{analysed.pk}/beats/")

    assert response.status_code == 200
    assert response.json()["count"] == analysed.beat_count
    assert response.json()["samples"] == read_beats(analysed).tolist()


def test_it_writes_one_heart_rate_reading_a_second(analysed, device, patient) -> None:
    readings = list(Reading.objects.order_by("recorded_at"))

    assert len(readings) >= SECONDS - 2
    assert {(r.device_id, r.patient_id, r.metric, r.source) for r in readings} == {
        (device.pk, patient.pk, Metric.HEART_RATE, Source.ECG)
    }
    offsets = [(r.recorded_at - signals.START).total_seconds() for r in readings]
    assert offsets == list(range(int(offsets[0]), int(offsets[0]) + len(readings)))
    assert all(50 < r.value < 120 for r in readings)


def test_the_analysis_is_audited(analysed, patient) -> None:
    event = AuditEvent.objects.get(action=AuditAction.ECG_PROCESSED)

    assert event.actor is None
    assert event.organization_id == analysed.organization_id
    assert event.object_id == str(analysed.pk)
    assert event.patient_id == patient.pk
    assert event.details == {"lead": "MLII", "beat_count": analysed.beat_count}


def test_analysing_again_replaces_rather_than_doubles(analysed) -> None:
    first = list(Reading.objects.values_list("recorded_at", "value"))
    Recording.objects.filter(pk=analysed.pk).update(status=ProcessingStatus.PENDING)

    process_recording.delay(str(analysed.pk))

    assert list(Reading.objects.values_list("recorded_at", "value")) == first
    analysed.refresh_from_db()
    assert analysed.status == ProcessingStatus.DONE
    assert len(read_beats(analysed)) == analysed.beat_count


def test_a_recording_not_pending_is_left_alone(recording) -> None:
    Recording.objects.filter(pk=recording.pk).update(status=ProcessingStatus.PROCESSING)

    process_recording.delay(str(recording.pk))

    recording.refresh_from_db()
    assert recording.status == ProcessingStatus.PROCESSING
    assert recording.beat_count is None
    assert len(read_beats(recording)) == 0
    assert not Reading.objects.exists()


def test_a_recording_that_is_gone_is_skipped(db) -> None:
    process_recording.delay("00000000-0000-0000-0000-000000000000")

    assert not Reading.objects.exists()


def test_a_recording_deleted_during_its_analysis_leaves_no_files(recording, monkeypatch) -> None:
    """Its deletion empties its folder while the beats are sought; what the analysis writes after
    that goes too, and nothing else of the run is kept."""
    prefix, write_events = recording.storage_prefix, analysis.write_events

    def deleted_first(recording, document):
        Recording.objects.filter(pk=recording.pk).delete()
        delete_files(prefix)
        write_events(recording, document)

    monkeypatch.setattr(analysis, "write_events", deleted_first)

    process_recording.delay(str(recording.pk))

    assert not default_storage.exists(prefix)
    assert not Reading.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ECG_PROCESSED).exists()


def test_a_flat_lead_is_done_with_no_beats(upload, django_capture_on_commit_callbacks) -> None:
    flat = np.full((SECONDS * signals.RATE, 2), int(signals.BASELINE), dtype=np.int16)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(samples=flat)

    recording = Recording.objects.get(pk=response.json()["id"])
    assert recording.status == ProcessingStatus.DONE
    assert recording.status_reason == "No beats were found in lead MLII."
    assert recording.beat_count == 0
    assert recording.signal_quality == 0
    assert recording.mean_hr is None
    assert recording.sdnn_ms is None
    assert not Reading.objects.exists()


def test_a_missing_chunk_fails_with_a_reason(upload, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(seconds=SECONDS)
        recording = Recording.objects.get(pk=response.json()["id"])
        default_storage.delete(f"{recording.storage_prefix}/chunks/0000001.zst")

    recording.refresh_from_db()
    assert recording.status == ProcessingStatus.FAILED
    assert recording.status_reason == FILES_FAILED
    assert recording.processed_at == NOW
    assert recording.beat_count is None
    assert not Reading.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.ECG_PROCESSED).exists()


def test_a_corrupt_chunk_fails_with_a_reason(recording) -> None:
    name = f"{recording.storage_prefix}/chunks/0000000.zst"
    default_storage.delete(name)
    default_storage.save(name, ContentFile(b"not zstd at all"))

    process_recording.delay(str(recording.pk))

    recording.refresh_from_db()
    assert recording.status == ProcessingStatus.FAILED
    assert recording.status_reason == FILES_FAILED


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite serializes writers, so two workers cannot race: needs PostgreSQL",
)
@pytest.mark.parametrize("attempt", range(3))
def test_two_workers_given_one_recording_analyse_it_once(recording, attempt) -> None:
    Recording.objects.filter(pk=recording.pk).update(status=ProcessingStatus.PENDING)
    analyses = AuditEvent.objects.filter(action=AuditAction.ECG_PROCESSED)
    before = analyses.count()
    barrier = threading.Barrier(2)

    def worker() -> None:
        try:
            barrier.wait()
            analyse_recording(recording_id=recording.pk, actor=ANALYSIS)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    recording.refresh_from_db()
    assert recording.status == ProcessingStatus.DONE
    assert analyses.count() == before + 1


@pytest.mark.parametrize(
    ("leads", "chosen"),
    [
        (["MLII", "V5"], 0),
        (["V1", "II"], 1),
        (["I", "ECG II", "III"], 1),
        (["V5", "lead_ii"], 1),
        (["V1", "V2"], 0),
        (["I", "III", "aVR"], 0),
    ],
)
def test_lead_ii_is_analysed_when_there_is_one(leads, chosen) -> None:
    assert analysis_lead(leads) == chosen


def test_a_claim_whose_worker_died_is_taken_over_after_a_while(recording) -> None:
    Recording.objects.filter(pk=recording.pk).update(
        status=ProcessingStatus.PROCESSING, claimed_at=NOW - timedelta(hours=1)
    )

    analyse_recording(recording_id=recording.pk, actor=ANALYSIS)

    recording.refresh_from_db()
    assert recording.status == ProcessingStatus.DONE
    assert recording.claimed_at == NOW


def test_a_fresh_claim_is_left_to_its_worker(recording) -> None:
    Recording.objects.filter(pk=recording.pk).update(
        status=ProcessingStatus.PROCESSING, claimed_at=NOW - timedelta(minutes=5)
    )

    analyse_recording(recording_id=recording.pk, actor=ANALYSIS)

    recording.refresh_from_db()
    assert recording.status == ProcessingStatus.PROCESSING
    assert recording.beat_count is None
