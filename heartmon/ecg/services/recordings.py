"""Storing, replacing and deleting ECG recordings.

An upload is read and written to storage (chunks and original) under a fresh folder before its
row exists; only then, in one transaction, does the row go in, replacing an earlier recording of
the same data_id when asked to. Readers see the old recording until that commit and the new one
after; the old files go after the commit. Any failure removes what was written."""

import hashlib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import get_valid_filename

from heartmon.audit.models import AuditAction
from heartmon.audit.services import record_event
from heartmon.clinic.models import Patient
from heartmon.core.actor import Actor
from heartmon.core.errors import Conflict, InvalidInput, PayloadTooLarge
from heartmon.devices.models import Device, DeviceAssignment
from heartmon.ecg import storage
from heartmon.ecg.formats import FormatError, Signal, Upload, open_signal
from heartmon.ecg.models import Recording
from heartmon.ecg.tasks import process_recording
from heartmon.metrics.registry import ECG_UPLOADS

END_TIME_TOLERANCE = timedelta(seconds=1)  # devices often state whole seconds
FUTURE_LEEWAY = timedelta(minutes=5)


def max_upload_bytes() -> int:
    return int(settings.ECG_MAX_UPLOAD_MB) * 1024 * 1024


def refuse_if_too_large(size: int) -> None:
    if size > max_upload_bytes():
        raise PayloadTooLarge(
            f"ECG uploads are limited to {settings.ECG_MAX_UPLOAD_MB} MB.", code="ecg_too_large"
        )


@dataclass(frozen=True)
class RecordingFacts:
    """What the request says about the recording, beside its files."""

    device: Device
    patient: Patient | None
    data_id: str
    kind: str
    format: str
    start_time: datetime
    end_time: datetime | None
    overwrite: bool


def patient_of(device: Device, moment: datetime) -> Patient:
    """The patient the device was assigned to at `moment`, else its current patient."""
    assignments = DeviceAssignment.objects.filter(device=device).select_related("patient")
    during = assignments.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=moment), started_at__lte=moment
    ).first()
    current = during or assignments.open().first()
    if current is None:
        raise InvalidInput(
            f"Device {device.serial_number} is assigned to no patient: name the patient.",
            field="patient",
        )
    return current.patient


def _patient_for(facts: RecordingFacts, actor: Actor) -> Patient:
    """The patient named, else the device's at start_time. A device's recording is its
    patient's: a device may name only that one."""
    device = facts.device
    if facts.patient is None:
        return patient_of(device, facts.start_time)
    if facts.patient.organization_id != device.organization_id:
        raise InvalidInput("This patient belongs to another organization.", field="patient")
    if actor.is_device and facts.patient != patient_of(device, facts.start_time):
        raise InvalidInput(
            "The device was not on this patient at start_time: its recordings belong to the "
            "patient it was assigned to then.",
            field="patient",
        )
    return facts.patient


def upload_recording(*, facts: RecordingFacts, upload: Upload, actor: Actor) -> Recording:
    device = facts.device
    patient = _patient_for(facts, actor)
    if not facts.overwrite and _live(device.organization_id, facts.data_id).exists():
        raise _duplicate(facts.data_id)
    recording_id = uuid.uuid4()
    prefix = storage.prefix_for(organization_id=device.organization_id, recording_id=recording_id)
    try:
        with open_signal(facts.format, upload, max_leads=device.lead_count) as signal:
            recording = _store(signal, facts=facts, upload=upload, prefix=prefix)
        recording.id = recording_id
        recording.patient = patient
        recording.organization = device.organization
        recording.uploaded_by_id = actor.user_id  # None for a device uploading with its key
        stored = _swap_in(recording, overwrite=facts.overwrite, actor=actor)
    except BaseException:
        storage.delete_files(prefix)
        raise
    ECG_UPLOADS.labels(facts.format).inc()
    return stored


def _live(organization_id: Any, data_id: str) -> QuerySet[Recording]:
    return Recording.objects.filter(organization_id=organization_id, data_id=data_id)


def _store(signal: Signal, *, facts: RecordingFacts, upload: Upload, prefix: str) -> Recording:
    device = facts.device
    chunk_samples = storage.chunk_samples_for(signal.sample_rate)
    count = storage.write_chunks(prefix=prefix, blocks=signal.blocks, chunk_samples=chunk_samples)
    if count == 0:
        raise FormatError("The file holds no samples.")
    if signal.sample_count is not None and count != signal.sample_count:
        raise FormatError(f"The file promises {signal.sample_count} samples but holds {count}.")
    end_time = facts.start_time + timedelta(seconds=count / signal.sample_rate)
    _check_times(facts, end_time)
    names = _original_names(upload)
    checksum = _save_originals(upload, names, prefix)
    return Recording(
        organization_id=device.organization_id,
        device=device,
        data_id=facts.data_id,
        kind=facts.kind,
        format=facts.format,
        start_time=facts.start_time,
        end_time=end_time,
        sample_rate=signal.sample_rate,
        leads=signal.leads,
        units=signal.units,
        gains=signal.gains,
        baselines=signal.baselines,
        sample_count=count,
        chunk_samples=chunk_samples,
        codec=storage.CODEC,
        storage_prefix=prefix,
        original_name=names[0],
        header_name=names[1] if len(names) > 1 else "",
        original_size=upload.file.size,
        checksum=checksum,
    )


def _check_times(facts: RecordingFacts, end_time: datetime) -> None:
    if facts.end_time is not None and abs(facts.end_time - end_time) > END_TIME_TOLERANCE:
        raise InvalidInput(
            f"The file's {end_time - facts.start_time} of samples end at "
            f"{end_time.isoformat()}, not at the stated end_time.",
            field="end_time",
        )
    if end_time > timezone.now() + FUTURE_LEEWAY:
        raise InvalidInput(
            f"The recording would end at {end_time.isoformat()}, in the future.",
            field="start_time",
        )


def _original_names(upload: Upload) -> list[str]:
    names = [get_valid_filename(upload.file.name or "upload") or "upload"]
    if upload.header is not None:
        names.append(get_valid_filename(upload.header.name or "upload.hea") or "upload.hea")
        if names[0] == names[1]:
            raise InvalidInput(
                "The header and the signal file need different names.", field="header"
            )
    return names


def _save_originals(upload: Upload, names: list[str], prefix: str) -> str:
    """Keep the uploaded files byte for byte; returns the signal file's SHA-256."""
    digest = hashlib.sha256()
    for chunk in upload.file.chunks():
        digest.update(chunk)
    for file, name in zip([upload.file, upload.header], names, strict=False):
        file.seek(0)
        storage.save_original(prefix=prefix, name=name, content=file)
    return digest.hexdigest()


def _swap_in(recording: Recording, *, overwrite: bool, actor: Actor) -> Recording:
    try:
        with transaction.atomic():
            old = (
                _live(recording.organization_id, recording.data_id)
                .select_for_update()
                .only("id", "storage_prefix")
                .first()
            )
            if old is not None and not overwrite:
                raise _duplicate(recording.data_id)
            if old is not None:
                old_id, old_prefix = old.pk, old.storage_prefix
                old.delete()
                transaction.on_commit(lambda: storage.delete_files(old_prefix))
            recording.save(force_insert=True)
            _record(recording, actor, replaced_id=old_id if old is not None else None)
            recording_id = str(recording.pk)
            transaction.on_commit(lambda: process_recording.delay(recording_id), robust=True)
    except IntegrityError as exc:  # a concurrent upload of the same data_id committed first
        raise _duplicate(recording.data_id) from exc
    return recording


def _record(recording: Recording, actor: Actor, *, replaced_id: Any) -> None:
    details: dict[str, Any] = {"data_id": recording.data_id, "device_id": str(recording.device_id)}
    if replaced_id is not None:
        details["replaced_id"] = str(replaced_id)
    record_event(
        AuditAction.ECG_REPLACED if replaced_id is not None else AuditAction.ECG_UPLOADED,
        actor=actor,
        organization_id=recording.organization_id,
        target=recording,
        patient_id=recording.patient_id,
        details=details,
    )


def _duplicate(data_id: str) -> Conflict:
    return Conflict(
        f"A recording with data_id {data_id!r} exists: send overwrite=true to replace it.",
        code="recording_exists",
        field="data_id",
    )


@transaction.atomic
def delete_recording(*, recording: Recording, actor: Actor) -> None:
    """The row goes now, the files after the commit."""
    prefix = recording.storage_prefix
    record_event(
        AuditAction.ECG_DELETED,
        actor=actor,
        organization_id=recording.organization_id,
        target=recording,
        patient_id=recording.patient_id,
        details={"data_id": recording.data_id},
    )
    recording.delete()
    transaction.on_commit(lambda: storage.delete_files(prefix))
