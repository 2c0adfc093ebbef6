"""The processing task on a stored recording: status, beats, summary, derived heart rate."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import time_machine
import wfdb
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.clinic.models import Patient
from heartmon.devices.models import Device
from heartmon.ecg.analysis import FILES_FAILED, analysis_lead
from heartmon.ecg.models import ProcessingStatus, Recording
from heartmon.ecg.storage import CODEC, chunk_samples_for, prefix_for, read_beats, write_chunks
from heartmon.ecg.tasks import process_recording
from heartmon.telemetry.models import Metric, Reading, Source

RECORD = Path("/work/shared/data/ecg/mitdb-100/100")
START = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
NOW = START + timedelta(hours=1)
SECONDS = 60
BEAT_SYMBOLS = frozenset("NLRBAaJSVrFejnE/fQ?")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def device(org_a) -> Device:
    return Device.objects.create(
        organization=org_a, serial_number="HM-0001", model="HM-3L", lead_count=3
    )


@pytest.fixture
def patient(org_a) -> Patient:
    return Patient.objects.create(
        organization=org_a, patient_number="P-1", given_name="Ada", family_name="Byron"
    )


def stored_recording(device, patient, samples: np.ndarray, leads: list[str]) -> Recording:
    """A recording at 360 Hz with gain 200 and baseline 1024, stored as the upload stores it."""
    recording = Recording(
        organization=device.organization,
        patient=patient,
        device=device,
        data_id="holter-1",
        kind="raw",
        format="wfdb",
        start_time=START,
        end_time=START + timedelta(seconds=len(samples) / 360),
        sample_rate=360.0,
        leads=leads,
        units=["mV"] * len(leads),
        gains=[200.0] * len(leads),
        baselines=[1024] * len(leads),
        sample_count=len(samples),
        chunk_samples=chunk_samples_for(360.0),
        codec=CODEC,
        original_name="100.dat",
        original_size=0,
        checksum="0" * 64,
    )
    recording.storage_prefix = prefix_for(
        organization_id=device.organization_id, recording_id=recording.id
    )
    write_chunks(
        prefix=recording.storage_prefix, blocks=[samples], chunk_samples=recording.chunk_samples
    )
    recording.save()
    return recording


@pytest.fixture
def recording(device, patient) -> Recording:
    """The first minute of MIT-BIH record 100 (MLII and V5)."""
    record = wfdb.rdrecord(str(RECORD), sampto=SECONDS * 360, physical=False)
    return stored_recording(device, patient, record.d_signal.astype(np.int16), ["MLII", "V5"])


def beat_annotations() -> np.ndarray:
    annotation = wfdb.rdann(str(RECORD), "atr", sampto=SECONDS * 360)
    beats = zip(annotation.sample, annotation.symbol, strict=True)
    return np.array([sample for sample, symbol in beats if symbol in BEAT_SYMBOLS])


def test_it_stores_the_beats_and_the_summary(recording) -> None:
    process_recording.delay(str(recording.pk))

    recording.refresh_from_db()
    assert recording.status == ProcessingStatus.DONE
    assert recording.status_reason == ""
    assert recording.processed_at == NOW
    reference = beat_annotations()
    beats = read_beats(recording)
    assert len(beats) == len(reference) == recording.beat_count
    assert np.all(np.abs(beats - reference) <= 0.05 * 360)
    assert 70 < recording.mean_hr < 80
    assert recording.min_hr <= recording.mean_hr <= recording.max_hr
    assert recording.sdnn_ms > 0
    assert recording.rmssd_ms > 0
    assert recording.signal_quality > 0.9


def test_it_writes_one_heart_rate_reading_a_second(recording, device, patient) -> None:
    process_recording.delay(str(recording.pk))

    readings = list(Reading.objects.order_by("recorded_at"))
    assert len(readings) >= SECONDS - 2
    assert {(r.device_id, r.patient_id, r.metric, r.source) for r in readings} == {
        (device.pk, patient.pk, Metric.HEART_RATE, Source.ECG)
    }
    offsets = [(r.recorded_at - START).total_seconds() for r in readings]
    assert offsets == list(range(int(offsets[0]), int(offsets[0]) + len(readings)))
    assert all(50 < r.value < 120 for r in readings)


def test_processing_again_replaces_rather_than_doubles(recording) -> None:
    process_recording.delay(str(recording.pk))
    first = list(Reading.objects.values_list("recorded_at", "value"))
    Recording.objects.filter(pk=recording.pk).update(status=ProcessingStatus.PENDING)

    process_recording.delay(str(recording.pk))

    assert list(Reading.objects.values_list("recorded_at", "value")) == first
    recording.refresh_from_db()
    assert recording.status == ProcessingStatus.DONE
    assert len(read_beats(recording)) == recording.beat_count


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


def test_a_flat_lead_is_done_with_no_beats(device, patient) -> None:
    flat = np.full((SECONDS * 360, 1), 1024, dtype=np.int16)
    recording = stored_recording(device, patient, flat, ["II"])

    process_recording.delay(str(recording.pk))

    recording.refresh_from_db()
    assert recording.status == ProcessingStatus.DONE
    assert recording.status_reason == "No beats were found in lead II."
    assert recording.beat_count == 0
    assert recording.signal_quality == 0
    assert recording.mean_hr is None
    assert recording.sdnn_ms is None
    assert not Reading.objects.exists()


def test_a_missing_chunk_fails_with_a_reason(recording) -> None:
    default_storage.delete(f"{recording.storage_prefix}/chunks/0000001.zst")

    process_recording.delay(str(recording.pk))

    recording.refresh_from_db()
    assert recording.status == ProcessingStatus.FAILED
    assert recording.status_reason == FILES_FAILED
    assert recording.beat_count is None
    assert not Reading.objects.exists()


def test_a_corrupt_chunk_fails_with_a_reason(recording) -> None:
    name = f"{recording.storage_prefix}/chunks/0000000.zst"
    default_storage.delete(name)
    default_storage.save(name, ContentFile(b"not zstd at all"))

    process_recording.delay(str(recording.pk))

    recording.refresh_from_db()
    assert recording.status == ProcessingStatus.FAILED
    assert recording.status_reason == FILES_FAILED


def test_the_analysis_is_audited(recording, patient) -> None:
    process_recording.delay(str(recording.pk))

    recording.refresh_from_db()
    event = AuditEvent.objects.get(action=AuditAction.ECG_PROCESSED)
    assert event.actor is None
    assert event.organization_id == recording.organization_id
    assert event.object_id == str(recording.pk)
    assert event.patient_id == patient.pk
    assert event.details == {"lead": "MLII", "beat_count": recording.beat_count}


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
