import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from heartmon.core.actor import Actor
from heartmon.core.tenancy import TenantQuerySet


class DeviceStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    INACTIVE = "inactive", "Inactive"
    MAINTENANCE = "maintenance", "Maintenance"
    RETIRED = "retired", "Retired"


class Device(models.Model):
    """A monitoring device owned by an organization. Only an active device can be assigned to a
    patient or send data."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="devices"
    )
    serial_number = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=120, blank=True)
    mac_address = models.CharField(max_length=17, blank=True)  # normalized AA:BB:CC:DD:EE:FF
    manufacturer = models.CharField(max_length=120, blank=True)
    model = models.CharField(max_length=120)
    lead_count = models.PositiveSmallIntegerField(default=1)
    firmware_version = models.CharField(max_length=32, blank=True)
    status = models.CharField(
        max_length=16, choices=DeviceStatus.choices, default=DeviceStatus.ACTIVE
    )
    home_place = models.ForeignKey(
        "clinic.Place", on_delete=models.PROTECT, null=True, blank=True, related_name="devices"
    )
    last_seen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["serial_number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lead_count__gte=1, lead_count__lte=12),
                name="devices_device_lead_count_1_to_12",
            ),
            models.UniqueConstraint(
                fields=["mac_address"],
                condition=~models.Q(mac_address=""),
                name="devices_device_unique_mac",
            ),
        ]

    def __str__(self) -> str:
        return self.serial_number

    @property
    def is_active(self) -> bool:
        return self.status == DeviceStatus.ACTIVE

    def as_actor(self, *, ip: str | None = None, request_id: str = "") -> Actor:
        """The device acting through its key (HTTP or MQTT)."""
        return Actor(
            organization_id=self.organization_id, device_id=self.pk, ip=ip, request_id=request_id
        )


class AssignmentQuerySet(TenantQuerySet["DeviceAssignment"]):
    tenant_lookup = "device__organization_id"

    def open(self) -> "AssignmentQuerySet":
        return self.filter(ended_at__isnull=True)


class DeviceAssignment(models.Model):
    """A device attached to a patient, within an admission or on its own. The database holds at
    most one open assignment per device."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="assignments")
    patient = models.ForeignKey(
        "clinic.Patient", on_delete=models.PROTECT, related_name="device_assignments"
    )
    admission = models.ForeignKey(
        "clinic.Admission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="device_assignments",
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["device"],
                condition=models.Q(ended_at__isnull=True),
                name="devices_assignment_one_open_per_device",
            )
        ]

    def __str__(self) -> str:
        return f"{self.device_id} -> {self.patient_id}"


class DeviceKey(models.Model):
    """An API key a device authenticates with: shown once, stored as a SHA-256 digest, found by
    its short public prefix."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="keys")
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    name = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}…"


class DeviceSettings(models.Model):
    """One version of a device's settings document; the newest version is in force."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="settings_versions")
    version = models.PositiveIntegerField()
    document = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["device", "version"], name="devices_settings_version")
        ]

    def __str__(self) -> str:
        return f"{self.device_id} v{self.version}"


class Firmware(models.Model):
    """A firmware image in an organization's catalog; size and SHA-256 are computed on upload."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="firmware"
    )
    model = models.CharField(max_length=120)
    version = models.CharField(max_length=32)
    file = models.FileField(upload_to="firmware/%Y/%m/")
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    release_notes = models.TextField(max_length=20000, blank=True)
    min_version = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["model", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "model", "version"], name="devices_firmware_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.version}"


class DeviceEventKind(models.TextChoices):
    STATUS_CHANGED = "status_changed"
    ASSIGNED = "assigned"
    UNASSIGNED = "unassigned"
    KEY_CREATED = "key_created"
    KEY_REVOKED = "key_revoked"
    SETTINGS_CHANGED = "settings_changed"
    OTA_REPORT = "ota_report"


class DeviceEvent(models.Model):
    """The device's history: status changes, assignments, keys, settings, OTA results."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=32, choices=DeviceEventKind.choices)
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"
