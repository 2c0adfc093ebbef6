"""Readings of every vital sign, one row each. On PostgreSQL the table is partitioned by month of
`recorded_at` (see the initial migration and `heartmon maintain_readings`)."""

from django.db import models
from django.utils import timezone

from heartmon.core.actor import Actor
from heartmon.core.tenancy import TenantQuerySet


class Metric(models.TextChoices):
    HEART_RATE = "heart_rate", "Heart rate (bpm)"
    SPO2 = "spo2", "SpO2 (%)"
    RESP_RATE = "resp_rate", "Respiration rate (/min)"
    TEMPERATURE = "temperature", "Temperature (°C)"
    SYSTOLIC_BP = "systolic_bp", "Systolic blood pressure (mmHg)"
    DIASTOLIC_BP = "diastolic_bp", "Diastolic blood pressure (mmHg)"
    # ACVPU as a number: 0 alert, 1 new confusion, 2 voice, 3 pain, 4 unresponsive.
    CONSCIOUSNESS = "consciousness", "Consciousness (ACVPU)"
    # Supplemental oxygen in L/min; 0 is on air.
    OXYGEN_FLOW = "oxygen_flow", "Supplemental oxygen (L/min, 0 = air)"
    GENERIC = "generic", "Generic"


# The ACVPU scale's letters, by their stored value.
ACVPU = "ACVPU"


class Source(models.TextChoices):
    DEVICE = "device", "Device"
    MANUAL = "manual", "Entered by hand"
    ECG = "ecg", "Derived from ECG"


class ReadingQuerySet(TenantQuerySet["Reading"]):
    tenant_lookup = "device__organization_id"

    def visible_to(self, actor: Actor) -> "ReadingQuerySet":
        """A device's readings by the device's organization, a manual one by its patient's."""
        if actor.is_superuser:
            return self
        if actor.organization_id is None:
            return self.none()
        return self.filter(
            models.Q(device__organization_id=actor.organization_id)
            | models.Q(device__isnull=True, patient__organization_id=actor.organization_id)
        )


class Reading(models.Model):
    """One value of one metric from one device at one instant; (device, metric, recorded_at) is
    unique, so a re-sent reading is never stored twice. `patient` is the device's patient when the
    reading was taken, kept so history survives discharge. A manual observation (source
    `manual`, entered by a doctor or nurse) has no device: (patient, metric, recorded_at) is
    unique among those.

    The foreign keys have no database constraint: a per-row trigger would halve COPY speed, and
    readings are written only by `heartmon.telemetry.ingest`, which resolves both ids first."""

    id = models.BigAutoField(primary_key=True)
    device = models.ForeignKey(
        "devices.Device",
        on_delete=models.PROTECT,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="readings",
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
            ),
            models.UniqueConstraint(
                fields=["patient", "metric", "recorded_at"],
                condition=models.Q(device__isnull=True),
                name="telemetry_reading_manual_once",
            ),
            models.CheckConstraint(
                condition=models.Q(device__isnull=False) | models.Q(patient__isnull=False),
                name="telemetry_reading_device_or_patient",
            ),
        ]
        indexes = [
            models.Index(
                fields=["patient", "metric", "recorded_at"], name="telemetry_reading_patient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.metric}={self.value} @ {self.recorded_at:%Y-%m-%d %H:%M:%S}"
