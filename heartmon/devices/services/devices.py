"""Registering devices, changing their status, attaching them to patients, retiring them."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from heartmon.audit.models import AuditAction
from heartmon.audit.services import record_event
from heartmon.clinic.models import Patient
from heartmon.core.errors import Conflict, InvalidInput
from heartmon.devices.models import (
    Device,
    DeviceAssignment,
    DeviceEvent,
    DeviceEventKind,
    DeviceKey,
    DeviceSettings,
    DeviceStatus,
)
from heartmon.devices.services.assignments import assign_device, end_assignments
from heartmon.ecg.models import Recording
from heartmon.telemetry.models import Reading

EDITABLE_FIELDS = (
    "serial_number",
    "name",
    "mac_address",
    "manufacturer",
    "model",
    "lead_count",
    "firmware_version",
    "home_place",
)


def _lock(device: Device) -> Device:
    """The device row, locked until the transaction ends: status changes, assignments and
    settings of one device happen one after another."""
    return Device.objects.select_for_update().get(pk=device.pk)


def _save(device: Device) -> Device:
    try:
        with transaction.atomic():
            device.save()
    except IntegrityError as exc:
        raise Conflict(
            "Another device already has this serial number or MAC address.",
            code="device_exists",
            field="serial_number",
        ) from exc
    return device


@transaction.atomic
def register_device(*, organization: Any, fields: dict[str, Any]) -> Device:
    if organization is None:
        raise Conflict("You belong to no organization: register devices through the admin.")
    return _save(Device(organization=organization, **fields))


@transaction.atomic
def update_device(*, device: Device, changes: dict[str, Any]) -> Device:
    device = _lock(device)
    lead_count = changes.get("lead_count", device.lead_count)
    current = DeviceSettings.objects.filter(device=device).first()
    if current is not None and len(current.document["enabled_leads"]) > lead_count:
        raise InvalidInput(
            f"The current settings enable {len(current.document['enabled_leads'])} leads: "
            "change the settings before lowering lead_count.",
            field="lead_count",
        )
    for name in EDITABLE_FIELDS:
        if name in changes:
            setattr(device, name, changes[name])
    return _save(device)


@transaction.atomic
def change_status(*, device: Device, status: str, actor: Any) -> Device:
    """Only an unassigned device leaves active: unassign (or discharge) first, nothing ends
    silently. Retiring also revokes the device's keys."""
    device = _lock(device)
    if status == device.status:
        return device
    if status != DeviceStatus.ACTIVE and _open_assignment(device) is not None:
        raise Conflict(
            f"Device {device.serial_number} is assigned to a patient: unassign it before making "
            f"it {status}.",
            code="device_assigned",
        )
    previous, device.status = device.status, status
    device.save(update_fields=["status"])
    details: dict[str, Any] = {"from": previous, "to": status}
    if status == DeviceStatus.RETIRED:
        details["keys_revoked"] = DeviceKey.objects.filter(
            device=device, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())
    DeviceEvent.objects.create(
        device=device, kind=DeviceEventKind.STATUS_CHANGED, actor=actor, details=details
    )
    return device


def has_history(device: Device) -> bool:
    return (
        any(
            related.filter(device=device).exists()
            for related in (DeviceAssignment.objects, DeviceKey.objects, DeviceEvent.objects)
        )
        or DeviceSettings.objects.filter(device=device).exists()
        or Reading.objects.filter(device=device).exists()
        or Recording.objects.filter(device=device).exists()
    )


@transaction.atomic
def remove_device(*, device: Device, actor: Any) -> bool:
    """Delete a device nothing refers to; retire one with history (kept for the record).
    Returns True when the device was deleted."""
    device = _lock(device)
    if not has_history(device):
        device.delete()
        return True
    change_status(device=device, status=DeviceStatus.RETIRED, actor=actor)
    return False


def _open_assignment(device: Device) -> DeviceAssignment | None:
    return DeviceAssignment.objects.open().filter(device=device).first()


@transaction.atomic
def assign_to_patient(*, device: Device, patient: Patient, request: Any) -> DeviceAssignment:
    device = _lock(device)
    if patient.organization_id != device.organization_id:
        raise InvalidInput("This patient belongs to another organization.", field="patient")
    assignment = assign_device(device=device, patient=patient, actor=request.user)
    record_event(
        AuditAction.DEVICE_ASSIGNED,
        request=request,
        target=device,
        patient_id=patient.pk,
        details={"assignment_id": assignment.pk},
    )
    return assignment


@transaction.atomic
def unassign(*, device: Device, request: Any) -> DeviceAssignment:
    device = _lock(device)
    assignment = _open_assignment(device)
    if assignment is None:
        raise Conflict(
            f"Device {device.serial_number} is not assigned to anyone.", code="device_not_assigned"
        )
    end_assignments(assignments=[assignment], actor=request.user)
    record_event(
        AuditAction.DEVICE_UNASSIGNED,
        request=request,
        target=device,
        patient_id=assignment.patient_id,
        details={"assignment_id": assignment.pk},
    )
    return assignment
