"""Registering devices, changing their status, retiring them. (Attaching them to patients is
the clinic's: clinic.services.assignments.)"""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from heartmon.core.actor import Actor
from heartmon.core.errors import Conflict, InvalidInput, organization_id_of
from heartmon.devices.models import (
    Device,
    DeviceAssignment,
    DeviceEvent,
    DeviceEventKind,
    DeviceKey,
    DeviceSettings,
    DeviceStatus,
)

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


def lock_device(device: Device) -> Device:
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
def register_device(*, fields: dict[str, Any], actor: Actor) -> Device:
    organization_id = organization_id_of(actor, what="register devices")
    return _save(Device(organization_id=organization_id, **fields))


@transaction.atomic
def update_device(*, device: Device, changes: dict[str, Any]) -> Device:
    device = lock_device(device)
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
def change_status(*, device: Device, status: str, actor: Actor) -> Device:
    """Only an unassigned device leaves active: unassign (or discharge) first, nothing ends
    silently. Retiring also revokes the device's keys."""
    device = lock_device(device)
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
        device=device, kind=DeviceEventKind.STATUS_CHANGED, actor_id=actor.user_id, details=details
    )
    return device


def has_history(device: Device) -> bool:
    """Anything recorded about the device or by it: assignments, keys, events, settings, and the
    readings and recordings of the apps above (reached through their reverse relations)."""
    related = ("assignments", "keys", "events", "settings_versions", "readings", "ecg_recordings")
    return any(getattr(device, name).exists() for name in related)


@transaction.atomic
def delete_device(*, device: Device) -> None:
    """Delete a device nothing refers to; one with history stays for the record, and the 409 says
    to retire it instead."""
    device = lock_device(device)
    if has_history(device):
        raise Conflict(
            f"Device {device.serial_number} has history (assignments, keys, readings...), kept "
            f"for the record: retire it with POST /api/v1/devices/{device.pk}/retire/ instead.",
            code="device_has_history",
        )
    device.delete()


def _open_assignment(device: Device) -> DeviceAssignment | None:
    return DeviceAssignment.objects.open().filter(device=device).first()
