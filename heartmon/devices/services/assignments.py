"""Attaching devices to patients: the one place that opens and ends device assignments, used by
the device endpoints and by admissions alike."""

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from heartmon.clinic.models import Admission, Patient
from heartmon.core.errors import Conflict
from heartmon.devices.models import Device, DeviceAssignment, DeviceEvent, DeviceEventKind


@transaction.atomic
def assign_device(
    *, device: Device, patient: Patient, actor: Any, admission: Admission | None = None
) -> DeviceAssignment:
    """Open an assignment; the database refuses a second open one for the device (409)."""
    if not device.is_active:
        raise Conflict(
            f"Device {device.serial_number} is {device.status}: only an active device can be "
            "assigned.",
            code="device_not_active",
        )
    if patient.is_archived:
        raise Conflict("This patient is archived: restore them first.", code="patient_archived")
    try:
        with transaction.atomic():
            assignment = DeviceAssignment.objects.create(
                device=device, patient=patient, admission=admission, assigned_by=actor
            )
    except IntegrityError as exc:
        raise Conflict(
            f"Device {device.serial_number} is already assigned to a patient: unassign it first.",
            code="device_already_assigned",
        ) from exc
    DeviceEvent.objects.create(
        device=device,
        kind=DeviceEventKind.ASSIGNED,
        actor=actor,
        details={
            "patient_id": str(patient.pk),
            "admission_id": str(admission.pk) if admission else None,
        },
    )
    return assignment


@transaction.atomic
def end_assignments(*, assignments: Iterable[DeviceAssignment], actor: Any) -> int:
    """Close open assignments (unassign, discharge); returns how many were open."""
    now = timezone.now()
    ended = 0
    for assignment in assignments:
        if assignment.ended_at is not None:
            continue
        assignment.ended_at = now
        assignment.ended_by = actor
        assignment.save(update_fields=["ended_at", "ended_by"])
        DeviceEvent.objects.create(
            device_id=assignment.device_id,
            kind=DeviceEventKind.UNASSIGNED,
            actor=actor,
            at=now,
            details={"patient_id": str(assignment.patient_id)},
        )
        ended += 1
    return ended
