from django.contrib import admin

from heartmon.audit.admin import PatientDataAdmin
from heartmon.audit.models import AuditAction
from heartmon.devices.models import (
    Device,
    DeviceAssignment,
    DeviceEvent,
    DeviceKey,
    DeviceSettings,
    Firmware,
)


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin[Device]):
    list_display = ["serial_number", "model", "status", "organization", "last_seen_at"]
    list_filter = ["status", "model", "organization"]
    search_fields = ["serial_number", "name", "mac_address"]
    list_select_related = ["organization"]


@admin.register(DeviceAssignment)
class DeviceAssignmentAdmin(PatientDataAdmin):
    read_actions = (AuditAction.DEVICE_ASSIGNMENTS_VIEWED, AuditAction.DEVICE_ASSIGNMENTS_VIEWED)
    list_display = ["device", "patient", "started_at", "ended_at"]
    list_filter = ["started_at", "ended_at"]
    search_fields = ["device__serial_number", "patient__patient_number"]
    list_select_related = ["device", "patient"]


@admin.register(DeviceKey)
class DeviceKeyAdmin(admin.ModelAdmin[DeviceKey]):
    """Keys are created through the API (shown once); here they can be inspected and revoked."""

    list_display = ["prefix", "device", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at", "created_at"]
    search_fields = ["prefix", "device__serial_number"]
    readonly_fields = ["prefix", "digest", "device", "created_by", "last_used_at"]
    list_select_related = ["device"]


@admin.register(DeviceSettings)
class DeviceSettingsAdmin(admin.ModelAdmin[DeviceSettings]):
    list_display = ["device", "version", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["device__serial_number"]
    list_select_related = ["device"]


@admin.register(Firmware)
class FirmwareAdmin(admin.ModelAdmin[Firmware]):
    list_display = ["model", "version", "size", "organization", "created_at"]
    list_filter = ["model", "organization"]
    search_fields = ["model", "version", "sha256"]
    list_select_related = ["organization"]


@admin.register(DeviceEvent)
class DeviceEventAdmin(admin.ModelAdmin[DeviceEvent]):
    list_display = ["device", "kind", "at"]
    list_filter = ["kind", "at"]
    search_fields = ["device__serial_number"]
    list_select_related = ["device"]
