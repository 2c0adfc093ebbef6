"""Attaching devices to patients: the one place that opens and ends device assignments, used by
admissions and by a device's own assign and unassign."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone

from heartmon.audit.models import AuditAction
from heartmon.audit.services import record_event
from heartmon.clinic.models import Admission, Patient
from heartmon.core.actor import Actor
from heartmon.core.errors import Conflict, InvalidInput
from heartmon.devices.models import Device, DeviceAssignment, DeviceEvent, DeviceEventKind
from heartmon.devices.services.devices import lock_device


@transaction.atomic
def assign_device(
    *, device: Device, patient: Patient, actor: Actor, admission: Admission | None = None
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
                device=device, patient=patient, admission=admission, assigned_by_id=actor.person_id
            )
    except IntegrityError as exc:
        raise Conflict(
            f"Device {device.serial_number} is already assigned to a patient: unassign it first.",
            code="device_already_assigned",
        ) from exc
    DeviceEvent.objects.create(
        device=device,
        kind=DeviceEventKind.ASSIGNED,
        actor_id=actor.user_id,
        details={
            "patient_id": str(patient.pk),
            "admission_id": str(admission.pk) if admission else None,
        },
    )
    return assignment


@transaction.atomic
def end_assignments(*, assignments: Iterable[DeviceAssignment], actor: Actor) -> int:
    """Close open assignments (unassign, discharge); returns how many were open."""
    now = timezone.now()
    ended = 0
    for assignment in assignments:
        if assignment.ended_at is not None:
            continue
        assignment.ended_at = now
        assignment.ended_by_id = actor.user_id
        assignment.save(update_fields=["ended_at", "ended_by"])
        DeviceEvent.objects.create(
            device_id=assignment.device_id,
            kind=DeviceEventKind.UNASSIGNED,
            actor_id=actor.user_id,
            at=now,
            details={"patient_id": str(assignment.patient_id)},
        )
        ended += 1
    return ended


@transaction.atomic
def assign_to_patient(*, device: Device, patient: Patient, actor: Actor) -> DeviceAssignment:
    """Attach a device to a patient outside an admission."""
    device = lock_device(device)
    if patient.organization_id != device.organization_id:
        raise InvalidInput("This patient belongs to another organization.", field="patient")
    assignment = assign_device(device=device, patient=patient, actor=actor)
    record_event(
        AuditAction.DEVICE_ASSIGNED,
        actor=actor,
        target=device,
        patient_id=patient.pk,
        details={"assignment_id": assignment.pk},
    )
    return assignment


@transaction.atomic
def unassign(*, device: Device, actor: Actor) -> DeviceAssignment:
    device = lock_device(device)
    assignment = DeviceAssignment.objects.open().filter(device=device).first()
    if assignment is None:
        raise Conflict(
            f"Device {device.serial_number} is not assigned to anyone.", code="device_not_assigned"
        )
    end_assignments(assignments=[assignment], actor=actor)
    record_event(
        AuditAction.DEVICE_UNASSIGNED,
        actor=actor,
        target=device,
        patient_id=assignment.patient_id,
        details={"assignment_id": assignment.pk},
    )
    return assignment
