"""Analysing a stored recording (the service behind `tasks.process_recording`): claim it, analyse
its leads (`findings.analyse`: lead II first, up to three, the others read from storage only
around lead II's poor segments), store the beats with their classes,
the pauses and segment quality (`events`), the summary, and one derived heart-rate reading per
second where the rate is known.

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
import time
import uuid
from datetime import timedelta
from functools import partial
from typing import Any

import numpy as np
import zstandard
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from heartmon.audit.models import AuditAction
from heartmon.audit.services import record_event
from heartmon.core.actor import Actor
from heartmon.ecg import events
from heartmon.ecg.findings import Findings, analyse
from heartmon.ecg.models import ProcessingStatus, Recording
from heartmon.ecg.signals import rhythm_analysed
from heartmon.ecg.storage import (
    delete_files,
    physical,
    read_samples,
    write_beats,
    write_events,
)
from heartmon.metrics.registry import ECG_ANALYSIS_SECONDS
from heartmon.telemetry.ingest import ReadingRow, store_readings
from heartmon.telemetry.models import Metric, Reading, Source

logger = logging.getLogger(__name__)

READ_SECONDS = 600  # the leads are read and converted this much at a time
# Beyond three leads little is gained for finding beats (twelve leads hold eight independent
# signals, and the limb leads share their electrodes), while memory and time grow with each.
MAX_LEADS = 3
FALLBACK_LEADS = ("V5", "V1", "I", "AVF", "V2", "V6")  # after lead II, in this order
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
    started, outcome = time.monotonic(), "failed"
    try:
        leads = analysis_leads(recording.leads)
        stored = [StoredLead(recording, lead) for lead in leads]
        findings = analyse(stored, recording.sample_rate)
        write_beats(recording, findings.r_peaks, findings.classes)
        write_events(recording, events.document(findings, leads=leads))
        if _finish(recording, findings, lead=recording.leads[leads[0]], actor=actor):
            _announce(recording, findings)
            outcome = "done"
        else:
            _discard_files_if_gone(recording)
            outcome = "discarded"
    except (OSError, zstandard.ZstdError):
        logger.exception("ECG recording %s: its files could not be read or written", recording.pk)
        _fail(recording, FILES_FAILED)
    except Exception:  # a recording must never stay "processing"
        logger.exception("ECG recording %s: analysis failed", recording.pk)
        _fail(recording, UNEXPECTED)
    ECG_ANALYSIS_SECONDS.labels(outcome).observe(time.monotonic() - started)


def analysis_lead(leads: list[str]) -> int:
    """Index of the preferred lead: lead II (or MLII) when there is one, else the first."""
    names = [_plain_name(name) for name in leads]
    for index, name in enumerate(names):
        if name in {"II", "MLII"}:
            return index
    return 0


def analysis_leads(leads: list[str]) -> list[int]:
    """Indices of the leads to analyse, the preferred first: then V5, V1, I, aVF, V2, V6 where
    present (leads that see the heart from other sides), then the rest; at most three."""
    first = analysis_lead(leads)
    names = [_plain_name(name) for name in leads]
    rank = {name: place for place, name in enumerate(FALLBACK_LEADS)}
    others = sorted(
        (index for index in range(len(leads)) if index != first),
        key=lambda index: (rank.get(names[index], len(rank)), index),
    )
    return [first, *others][:MAX_LEADS]


def _plain_name(name: object) -> str:
    return re.sub(r"^(ECG|LEAD)|[\s_\-.]", "", str(name).upper())


class StoredLead:
    """One lead of a stored recording in mV (float32), read from storage when sliced: the
    analysis reads the preferred lead whole and the others only where it needs them."""

    def __init__(self, recording: Recording, lead: int) -> None:
        self.recording = recording
        self.lead = lead

    def __len__(self) -> int:
        return self.recording.sample_count

    def __getitem__(self, index: slice, /) -> np.ndarray:
        start, stop, step = index.indices(len(self))
        if step != 1:
            raise ValueError("A stored lead is read in contiguous slices.")
        return read_leads(self.recording, [self.lead], start, stop)[:, 0]


def read_leads(
    recording: Recording, leads: list[int], start: int = 0, stop: int | None = None
) -> np.ndarray:
    """Samples [start, stop) (to the end when None) of `leads` as (samples, len(leads)) mV in
    float32, read a few minutes at a time."""
    stop = recording.sample_count if stop is None else min(stop, recording.sample_count)
    out = np.empty((max(0, stop - start), len(leads)), dtype=np.float32)
    step = max(recording.chunk_samples, int(READ_SECONDS * recording.sample_rate))
    for at in range(start, stop, step):
        block = read_samples(recording, at, min(at + step, stop), leads=leads)
        millivolts = physical(recording, block, leads=leads, dtype=np.float32)
        out[at - start : at - start + len(block)] = millivolts
    return out


def heart_rate_rows(recording: Recording, findings: Findings) -> list[ReadingRow]:
    """One heart-rate reading per second whose rate is known, at the recording's start plus
    seconds; none where it is unknown."""
    seconds = np.flatnonzero(np.isfinite(findings.heart_rate))
    values = np.round(findings.heart_rate[seconds], 1)
    device, patient, metric = recording.device_id, recording.patient_id, Metric.HEART_RATE.value
    start = recording.start_time
    return [
        ReadingRow(device, patient, metric, value, start + timedelta(seconds=second))
        for second, value in zip(seconds.tolist(), values.tolist(), strict=True)
    ]


@transaction.atomic
def _finish(recording: Recording, findings: Findings, *, lead: str, actor: Actor) -> bool:
    """Stores what was found; False, keeping nothing, when the recording was deleted, replaced
    or claimed by another worker meanwhile."""
    Reading.objects.filter(
        device_id=recording.device_id,
        metric=Metric.HEART_RATE,
        source=Source.ECG,
        recorded_at__gte=recording.start_time,
        recorded_at__lt=recording.end_time,
    ).delete()
    store_readings(heart_rate_rows(recording, findings), source=Source.ECG)
    summary = _summary(findings)
    reason = "" if findings.beat_count else f"No beats were found in lead {lead}."
    updated = Recording.objects.filter(pk=recording.pk, status=ProcessingStatus.PROCESSING).update(
        status=ProcessingStatus.DONE,
        status_reason=reason,
        processed_at=timezone.now(),
        **summary,
    )
    if not updated:
        transaction.set_rollback(True)
        return False
    record_event(
        AuditAction.ECG_PROCESSED,
        actor=actor,
        organization_id=recording.organization_id,
        target=recording,
        patient_id=recording.patient_id,
        details={"lead": lead, "beat_count": findings.beat_count},
    )
    return True


def _discard_files_if_gone(recording: Recording) -> None:
    """The beats and events just written would outlive a recording deleted or replaced during
    the analysis (its own deletion may have emptied the folder before they landed)."""
    if not Recording.objects.filter(pk=recording.pk).exists():
        delete_files(recording.storage_prefix)


def _summary(findings: Findings) -> dict[str, Any]:
    pauses = [pause.seconds for pause in findings.pauses]
    ectopy = findings.ectopy
    return {
        "beat_count": findings.beat_count,
        "mean_hr": _rounded(findings.mean_hr),
        "min_hr": _rounded(findings.min_hr),
        "max_hr": _rounded(findings.max_hr),
        "sdnn_ms": _rounded(findings.sdnn_ms),
        "rmssd_ms": _rounded(findings.rmssd_ms),
        "signal_quality": findings.signal_quality,
        "pause_count": len(pauses),
        "longest_pause_s": _rounded(max(pauses, default=None)),
        "asystole_count": sum(pause.kind == "asystole" for pause in findings.pauses),
        "pvc_count": ectopy.pvc_count,
        "pvc_burden": ectopy.pvc_burden,
        "pvc_couplets": ectopy.couplets,
        "pvc_runs": ectopy.runs,
        "bigeminy_episodes": ectopy.bigeminy_episodes,
    }


def _fail(recording: Recording, reason: str) -> None:
    Recording.objects.filter(pk=recording.pk, status=ProcessingStatus.PROCESSING).update(
        status=ProcessingStatus.FAILED, status_reason=reason, processed_at=timezone.now()
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _announce(recording: Recording, findings: Findings) -> None:
    """The recording's rhythm events to the apps above (the alarm engine), once committed."""
    pauses = [(pause.start, pause.seconds) for pause in findings.pauses]
    found = events.rhythm_events(recording, pauses)
    send = partial(
        rhythm_analysed.send_robust, sender=Recording, recording=recording, events=found, live=False
    )
    transaction.on_commit(send)
