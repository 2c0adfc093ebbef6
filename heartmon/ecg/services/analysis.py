"""Analysing a stored recording (the service behind `tasks.process_recording`): claim it, detect
beats on one lead, store the beats, the summary and one derived heart-rate reading per second.

Status moves pending -> processing -> done or failed. The claim is a conditional update, so of two
workers handed the same recording only one analyses it. A claim older than STALE_CLAIM (its worker
died: the task is acknowledged late, so the broker hands it out again) may be taken over. A lead
without beats (flat, unplugged) is done with a beat count of 0 and quality 0, not failed: the
analysis worked and says so; failed means the analysis could not run, with a reason that names no
patient data.

Re-analysing is idempotent: the beats file is replaced and the derived readings of the
recording's device and time span are replaced, never doubled.
"""

import logging
import re
import uuid
from datetime import timedelta

import numpy as np
import zstandard
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from heartmon.audit.models import AuditAction
from heartmon.audit.services import record_event
from heartmon.core.actor import Actor
from heartmon.ecg.detector import Analysis, analyse
from heartmon.ecg.models import ProcessingStatus, Recording
from heartmon.ecg.storage import physical, read_samples, write_beats
from heartmon.telemetry.ingest import ReadingRow, store_readings
from heartmon.telemetry.models import Metric, Reading, Source

logger = logging.getLogger(__name__)

READ_SECONDS = 600  # the lead is read and converted this much at a time
STALE_CLAIM = timedelta(minutes=30)  # a day-long recording takes seconds to analyse
FILES_FAILED = "The recording's stored files could not be read or written."
UNEXPECTED = "The analysis stopped on an unexpected error; the server log has the details."


def analyse_recording(*, recording_id: uuid.UUID | str, actor: Actor) -> None:
    """Analyse a pending recording; does nothing when it is not pending (another worker has it,
    it is analysed already, or it is gone) unless its claim went stale."""
    now = timezone.now()
    claimable = Q(status=ProcessingStatus.PENDING) | Q(
        status=ProcessingStatus.PROCESSING, claimed_at__lt=now - STALE_CLAIM
    )
    claimed = Recording.objects.filter(claimable, pk=recording_id).update(
        status=ProcessingStatus.PROCESSING, status_reason="", claimed_at=now
    )
    if not claimed:
        return
    recording = Recording.objects.select_related("organization").get(pk=recording_id)
    try:
        lead = analysis_lead(recording.leads)
        analysis = analyse(read_lead(recording, lead), recording.sample_rate)
        write_beats(recording, analysis.r_peaks)
        _finish(recording, analysis, lead=recording.leads[lead], actor=actor)
    except (OSError, zstandard.ZstdError):
        logger.exception("ECG recording %s: its files could not be read or written", recording.pk)
        _fail(recording, FILES_FAILED)
    except Exception:  # a recording must never stay "processing"
        logger.exception("ECG recording %s: analysis failed", recording.pk)
        _fail(recording, UNEXPECTED)


def analysis_lead(leads: list[str]) -> int:
    """Index of the lead to analyse: lead II (or MLII) when there is one, else the first."""
    for index, name in enumerate(leads):
        if re.sub(r"^(ECG|LEAD)|[\s_\-.]", "", str(name).upper()) in {"II", "MLII"}:
            return index
    return 0


def read_lead(recording: Recording, lead: int) -> np.ndarray:
    """One lead in mV as float32, read a few minutes at a time."""
    out = np.empty(recording.sample_count, dtype=np.float32)
    step = max(recording.chunk_samples, int(READ_SECONDS * recording.sample_rate))
    for start in range(0, recording.sample_count, step):
        block = read_samples(recording, start, start + step, leads=[lead])
        out[start : start + len(block)] = physical(recording, block, leads=[lead])[:, 0]
    return out


def heart_rate_rows(recording: Recording, analysis: Analysis) -> list[ReadingRow]:
    """One heart-rate reading per second that has one, at the recording's start plus seconds."""
    seconds = np.flatnonzero(np.isfinite(analysis.heart_rate))
    values = np.round(analysis.heart_rate[seconds], 1)
    return [
        ReadingRow(
            recording.device_id,
            recording.patient_id,
            Metric.HEART_RATE.value,
            value,
            recording.start_time + timedelta(seconds=second),
        )
        for second, value in zip(seconds.tolist(), values.tolist(), strict=True)
    ]


@transaction.atomic
def _finish(recording: Recording, analysis: Analysis, *, lead: str, actor: Actor) -> None:
    Reading.objects.filter(
        device_id=recording.device_id,
        metric=Metric.HEART_RATE,
        source=Source.ECG,
        recorded_at__gte=recording.start_time,
        recorded_at__lt=recording.end_time,
    ).delete()
    store_readings(heart_rate_rows(recording, analysis), source=Source.ECG)
    summary = {
        "beat_count": analysis.beat_count,
        "mean_hr": _rounded(analysis.mean_hr),
        "min_hr": _rounded(analysis.min_hr),
        "max_hr": _rounded(analysis.max_hr),
        "sdnn_ms": _rounded(analysis.sdnn_ms),
        "rmssd_ms": _rounded(analysis.rmssd_ms),
        "signal_quality": analysis.quality,
    }
    reason = "" if analysis.beat_count else f"No beats were found in lead {lead}."
    updated = Recording.objects.filter(pk=recording.pk, status=ProcessingStatus.PROCESSING).update(
        status=ProcessingStatus.DONE,
        status_reason=reason,
        processed_at=timezone.now(),
        **summary,
    )
    if not updated:  # deleted or replaced meanwhile: keep nothing of this run
        transaction.set_rollback(True)
        return
    record_event(
        AuditAction.ECG_PROCESSED,
        actor=actor,
        organization_id=recording.organization_id,
        target=recording,
        patient_id=recording.patient_id,
        details={"lead": lead, "beat_count": analysis.beat_count},
    )


def _fail(recording: Recording, reason: str) -> None:
    Recording.objects.filter(pk=recording.pk, status=ProcessingStatus.PROCESSING).update(
        status=ProcessingStatus.FAILED, status_reason=reason, processed_at=timezone.now()
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
