"""Readings entered and corrected by people, and single heart rates, audited. Batches themselves
go through `ingest`."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction

from heartmon.audit.models import AuditAction
from heartmon.audit.services import record_event
from heartmon.clinic.models import Patient
from heartmon.core.actor import Actor
from heartmon.core.errors import Conflict, InvalidInput
from heartmon.core.time import parse_time
from heartmon.devices.models import Device, DeviceAssignment
from heartmon.telemetry.ingest import IngestResult, ingest_batch
from heartmon.telemetry.models import Metric, Reading

# Heart-rate fields (reference shape) and the batch item fields they become.
HEART_RATE_FIELDS = {"bpm": "value", "recorded_at": "recorded_at", "device": "device"}


def _record_entered(result: IngestResult, *, actor: Actor) -> None:
    ids = sorted(str(patient_id) for patient_id in result.patient_ids)
    record_event(
        AuditAction.READINGS_ENTERED,
        actor=actor,
        patient_id=ids[0] if len(ids) == 1 else None,
        details={
            "stored": result.stored,
            "duplicates": result.duplicates,
            "rejected": len(result.rejected),
            "patient_ids": ids,
        },
    )


@transaction.atomic
def enter_readings(*, items: Sequence[Any], atomic: bool, actor: Actor) -> IngestResult:
    """A batch entered by a person (each item names its device), audited with its counts and
    patients (never values)."""
    result = ingest_batch(items, sender=None, actor=actor, atomic=atomic)
    _record_entered(result, actor=actor)
    return result


@transaction.atomic
def enter_heart_rate(*, data: Any, sender: Device | None, actor: Actor) -> tuple[Reading, bool]:
    """One heart rate {patient, device?, bpm, recorded_at}, checked and stored like a batch item.
    Returns the reading and whether it is new.

    From a person (audited): the patient is required and the device defaults to the one assigned
    to the patient; a heart rate already stored for that device and instant is a conflict. From a
    device: the device is the sender, and a re-sent reading answers the stored one."""
    if not isinstance(data, dict):
        raise InvalidInput("Send a JSON object.")
    item: dict[str, Any] = {"metric": Metric.HEART_RATE}
    item.update(
        {ours: data[theirs] for theirs, ours in HEART_RATE_FIELDS.items() if theirs in data}
    )
    if sender is None:
        patient = _patient_named(data.get("patient"), actor=actor)
        item["patient"] = str(patient.pk)
        if "device" not in item:
            item["device"] = str(_device_assigned_to(patient))
    elif "patient" in data:
        item["patient"] = data["patient"]
    result = ingest_batch([item], sender=sender, actor=actor)
    if result.rejected:
        errors = {
            ("bpm" if name == "value" else name): messages
            for name, messages in result.rejected[0]["errors"].items()
        }
        name, messages = next(iter(errors.items()))
        raise InvalidInput(f"{name}: {messages[0]}", errors=errors)
    reading = Reading.objects.get(
        device_id=sender.pk if sender is not None else item["device"],
        metric=Metric.HEART_RATE,
        recorded_at=parse_time(item["recorded_at"]),
    )
    if sender is not None:
        return reading, bool(result.stored)
    if not result.stored:
        raise Conflict(
            "A heart rate from this device at this instant is already stored.",
            code="duplicate_reading",
            field="recorded_at",
        )
    _record_entered(result, actor=actor)
    return reading, True


# The vital signs a set of observations may hold: every metric but the generic one.
OBSERVED = [metric.value for metric in Metric if metric != Metric.GENERIC]


@transaction.atomic
def enter_observations(
    *, patient: Patient, recorded_at: Any, values: dict[str, Any], actor: Actor
) -> IngestResult:
    """Vital signs taken by hand at one time (a doctor or nurse at the bedside): readings with
    source `manual` and no device, all stored or none (400), audited like any entered batch."""
    items = [
        {"metric": metric, "value": value, "recorded_at": recorded_at, "patient": str(patient.pk)}
        for metric, value in values.items()
    ]
    result = ingest_batch(items, sender=None, actor=actor, atomic=True)
    _record_entered(result, actor=actor)
    return result


def _patient_named(raw: Any, *, actor: Actor) -> Patient:
    if raw is None:
        raise InvalidInput("Name the patient this heart rate belongs to.", field="patient")
    try:
        patient = Patient.objects.visible_to(actor).filter(pk=uuid.UUID(str(raw))).first()
    except ValueError:
        patient = None
    if patient is None:
        raise InvalidInput("Unknown patient.", field="patient")
    return patient


def _device_assigned_to(patient: Patient) -> uuid.UUID:
    devices = list(
        DeviceAssignment.objects.open()
        .filter(patient=patient)
        .values_list("device_id", flat=True)[:2]
    )
    if len(devices) != 1:
        some = "No device is" if not devices else "Several devices are"
        raise InvalidInput(
            f"{some} assigned to this patient: name the device that took this reading.",
            field="device",
        )
    return devices[0]


@transaction.atomic
def correct_reading(*, reading: Reading, changes: dict[str, Any], actor: Actor) -> Reading:
    """Change a stored reading's value or time (already validated), audited with both versions.
    Another reading of the device and metric at the new time is a conflict."""
    reading = Reading.objects.select_for_update().get(pk=reading.pk)
    before = _version(reading)
    for name in ("value", "recorded_at"):
        if name in changes:
            setattr(reading, name, changes[name])
    try:
        with transaction.atomic():
            reading.save(update_fields=["value", "recorded_at"])
    except IntegrityError as exc:
        raise Conflict(
            "A reading of this metric from this source is already stored at that time.",
            code="duplicate_reading",
            field="recorded_at",
        ) from exc
    _audit(
        AuditAction.READING_CORRECTED,
        reading,
        actor=actor,
        details={"before": before, "after": _version(reading)},
    )
    return reading


@transaction.atomic
def delete_reading(*, reading: Reading, actor: Actor) -> None:
    _audit(AuditAction.READING_DELETED, reading, actor=actor, details=_version(reading))
    Reading.objects.filter(pk=reading.pk).delete()


def _version(reading: Reading) -> dict[str, Any]:
    recorded_at: datetime = reading.recorded_at
    return {
        "metric": reading.metric,
        "value": reading.value,
        "recorded_at": recorded_at.isoformat(),
    }


def _audit(action: str, reading: Reading, *, actor: Actor, details: dict[str, Any]) -> None:
    record_event(
        action,
        actor=actor,
        target=reading,
        patient_id=reading.patient_id,
        details={**details, "device_id": str(reading.device_id) if reading.device_id else None},
    )
