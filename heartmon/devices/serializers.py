import re
from typing import Any

from django.db.models import Q
from rest_framework import serializers

from heartmon.core.fields import VisibleIdsModelSerializer
from heartmon.devices import semver
from heartmon.devices.models import (
    Device,
    DeviceAssignment,
    DeviceEvent,
    DeviceKey,
    DeviceSettings,
    DeviceStatus,
    Firmware,
)
from heartmon.devices.services.device_settings import CurrentSettings

_MAC = re.compile(r"^[0-9A-Fa-f]{12}$")
OTA_STATUSES = ["downloading", "installing", "succeeded", "failed"]


def normalize_mac(value: str) -> str:
    """AA:BB:CC:DD:EE:FF from colon, hyphen, dot (aabb.ccdd.eeff) or no separators."""
    bare = re.sub(r"[:.\-]", "", value.strip())
    separators = set(re.sub(r"[0-9A-Fa-f]", "", value.strip()))
    if not _MAC.match(bare) or len(separators) > 1:
        raise serializers.ValidationError("Enter a MAC address such as AA:BB:CC:DD:EE:FF.")
    return ":".join(bare[i : i + 2] for i in range(0, 12, 2)).upper()


def validate_semver(value: str) -> None:
    if value and not semver.is_valid(value):
        raise serializers.ValidationError(f"Enter {semver.HELP}.")


class DeviceSerializer(VisibleIdsModelSerializer):
    patient = serializers.UUIDField(
        source="open_patient_id",
        read_only=True,
        allow_null=True,
        help_text="The patient of the device's open assignment, if any.",
    )

    class Meta:
        model = Device
        fields = [
            "id",
            "serial_number",
            "name",
            "mac_address",
            "manufacturer",
            "model",
            "lead_count",
            "firmware_version",
            "status",
            "home_place",
            "patient",
            "last_seen_at",
            "created_at",
        ]
        read_only_fields = ["id", "status", "last_seen_at", "created_at"]
        extra_kwargs = {
            "lead_count": {"min_value": 1, "max_value": 12},
            "firmware_version": {"validators": [validate_semver]},
            "serial_number": {"validators": []},  # checked in validate_serial_number
        }

    def validate_serial_number(self, value: str) -> str:
        value = value.strip()
        if self._taken(Q(serial_number=value)):
            raise serializers.ValidationError("A device with this serial number exists.")
        return value

    def validate_mac_address(self, value: str) -> str:
        if not value:
            return ""
        value = normalize_mac(value)
        if self._taken(Q(mac_address=value)):
            raise serializers.ValidationError("A device with this MAC address exists.")
        return value

    def _taken(self, condition: Q) -> bool:
        others = Device.objects.filter(condition)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        return others.exists()


class StatusSerializer(serializers.Serializer[None]):
    status = serializers.ChoiceField(choices=DeviceStatus.choices)


class AssignmentSerializer(serializers.ModelSerializer[DeviceAssignment]):
    class Meta:
        model = DeviceAssignment
        fields = [
            "id",
            "device",
            "patient",
            "admission",
            "started_at",
            "ended_at",
            "assigned_by",
            "ended_by",
        ]
        read_only_fields = fields


class DeviceEventSerializer(serializers.ModelSerializer[DeviceEvent]):
    class Meta:
        model = DeviceEvent
        fields = ["id", "kind", "at", "actor", "details"]
        read_only_fields = fields


class DeviceKeySerializer(serializers.ModelSerializer[DeviceKey]):
    class Meta:
        model = DeviceKey
        fields = ["id", "prefix", "name", "created_at", "created_by", "last_used_at", "revoked_at"]
        read_only_fields = [
            "id",
            "prefix",
            "created_at",
            "created_by",
            "last_used_at",
            "revoked_at",
        ]


class NewDeviceKeySerializer(DeviceKeySerializer):
    key = serializers.CharField(
        read_only=True, help_text="The key itself: shown in this response only, store it now."
    )

    class Meta(DeviceKeySerializer.Meta):
        fields = [*DeviceKeySerializer.Meta.fields, "key"]


class SettingsSerializer(serializers.Serializer[CurrentSettings]):
    version = serializers.IntegerField(read_only=True, help_text="0: defaults, never saved.")
    document = serializers.JSONField(help_text="See the settings schema in the README.")
    created_at = serializers.DateTimeField(read_only=True, allow_null=True)
    created_by = serializers.UUIDField(source="created_by.pk", read_only=True, allow_null=True)


class SettingsVersionSerializer(serializers.ModelSerializer[DeviceSettings]):
    class Meta:
        model = DeviceSettings
        fields = ["version", "document", "created_at", "created_by"]
        read_only_fields = fields


class DeviceSettingsSerializer(serializers.Serializer[CurrentSettings]):
    """What a device fetches."""

    version = serializers.IntegerField()
    document = serializers.JSONField()


class FirmwareSerializer(serializers.ModelSerializer[Firmware]):
    sha256 = serializers.RegexField(
        r"^[0-9a-fA-F]{64}$",
        required=False,
        help_text="Optional on upload: the server computes the SHA-256 and refuses a mismatch.",
    )
    file = serializers.FileField(write_only=True, allow_empty_file=False)

    class Meta:
        model = Firmware
        fields = [
            "id",
            "model",
            "version",
            "min_version",
            "file",
            "size",
            "sha256",
            "release_notes",
            "created_at",
            "uploaded_by",
        ]
        read_only_fields = ["id", "size", "created_at", "uploaded_by"]
        extra_kwargs = {
            "version": {"validators": [validate_semver], "allow_blank": False},
            "min_version": {"validators": [validate_semver]},
        }
        validators: list[Any] = []  # (organization, model, version) is checked by the service

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        minimum, version = attrs.get("min_version"), attrs["version"]
        if minimum and semver.Version(minimum) > semver.Version(version):
            raise serializers.ValidationError({"min_version": "Must not exceed version."})
        return attrs


class OtaUpdateSerializer(serializers.Serializer[dict[str, Any]]):
    version = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    download_url = serializers.URLField()
    release_notes = serializers.CharField()


class OtaReportSerializer(serializers.Serializer[None]):
    version = serializers.CharField(max_length=semver.MAX_LENGTH, validators=[validate_semver])
    status = serializers.ChoiceField(choices=OTA_STATUSES)
    message = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
