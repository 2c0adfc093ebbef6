"""Readings of every vital sign, one row each. On PostgreSQL the table is partitioned by month of
`recorded_at` (see the initial migration and `heartmon maintain_readings`)."""

from django.db import models
from django.utils import timezone

from heartmon.core.tenancy import TenantQuerySet


class Metric(models.TextChoices):
    HEART_RATE = "heart_rate", "Heart rate (bpm)"
    SPO2 = "spo2", "SpO2 (%)"
    RESP_RATE = "resp_rate", "Respiration rate (/min)"
    TEMPERATURE = "temperature", "Temperature (°C)"
    GENERIC = "generic", "Generic"


class Source(models.TextChoices):
    DEVICE = "device", "Device"
    MANUAL = "manual", "Entered by hand"
    ECG = "ecg", "Derived from ECG"


class ReadingQuerySet(TenantQuerySet["Reading"]):
    tenant_lookup = "device__organization_id"


class Reading(models.Model):
    """One value of one metric from one device at one instant; (device, metric, recorded_at) is
    unique, so a re-sent reading is never stored twice. `patient` is the device's patient when the
    reading was taken, kept so history survives discharge.

    The foreign keys have no database constraint: a per-row trigger would halve COPY speed, and
    readings are written only by `heartmon.telemetry.ingest`, which resolves both ids first."""

    id = models.BigAutoField(primary_key=True)
    device = models.ForeignKey(
        "devices.Device", on_delete=models.PROTECT, db_constraint=False, related_name="readings"
    )
    patient = models.ForeignKey(
        "clinic.Patient",
        on_delete=models.PROTECT,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="readings",
    )
    metric = models.CharField(max_length=16, choices=Metric.choices)
    value = models.FloatField()
    recorded_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.DEVICE)

    objects = ReadingQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["device", "metric", "recorded_at"], name="telemetry_reading_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["patient", "metric", "recorded_at"], name="telemetry_reading_patient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric}={self.value} @ {self.recorded_at:%Y-%m-%d %H:%M:%S}"
