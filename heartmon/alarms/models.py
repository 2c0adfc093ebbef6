"""Alarm rules (organization defaults, place and patient overrides), the alarms they raise with
their timelines, and the engine's state per patient and condition."""

import uuid
from datetime import UTC, datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from heartmon.alarms.engine import Limits
from heartmon.core.tenancy import TenantQuerySet


class Priority(models.TextChoices):
    """As IEC 60601-1-8 names them."""

    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class Kind(models.TextChoices):
    PATIENT = "patient", "Patient"  # a vital sign or score out of its band
    TECHNICAL = "technical", "Technical"  # the monitoring itself failing


class Condition(models.TextChoices):
    """What an alarm is about: one open alarm per patient and condition."""

    HEART_RATE = "heart_rate", "Heart rate"
    SPO2 = "spo2", "SpO2"
    RESP_RATE = "resp_rate", "Respiration rate"
    TEMPERATURE = "temperature", "Temperature"
    NEWS2 = "news2", "NEWS2 score"
    NO_DATA = "no_data", "No data from the device"
    ASYSTOLE = "asystole", "Asystole (no beat for 4 s or more)"
    PAUSE = "pause", "Pause (no beat for 3 s or more)"


# The metrics rules hold limits for (a rule's `metric`).
RULE_METRICS = (Condition.HEART_RATE, Condition.SPO2, Condition.RESP_RATE, Condition.TEMPERATURE)
RULE_METRIC_CHOICES = [(metric.value, metric.label) for metric in RULE_METRICS]


class AlarmSettings(models.Model):
    """An organization's timings. Made with the organization's default rules."""

    organization = models.OneToOneField(
        "accounts.Organization",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="alarm_settings",
    )
    high_escalation_seconds = models.PositiveIntegerField(
        default=60, help_text="A high alarm unacknowledged this long escalates."
    )
    medium_escalation_seconds = models.PositiveIntegerField(
        default=180, help_text="A medium alarm unacknowledged this long escalates."
    )
    no_data_seconds = models.PositiveIntegerField(
        default=30, help_text="An admitted patient's device silent this long: a technical alarm."
    )
    news2_max_age_minutes = models.PositiveIntegerField(
        default=720, help_text="A NEWS2 part older than this is missing (the score incomplete)."
    )

    objects = TenantQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Alarm settings of {self.organization_id}"


class RuleQuerySet(TenantQuerySet["AlarmRule"]):
    pass


class AlarmRule(models.Model):
    """Limits for one metric: an organization's default (no place, no patient), a place's override
    (a ward's, say) or a patient's (with a reason). The effective rule for a patient is the most
    specific: the patient's, else the nearest place's up from the patient's bed, else the default.

    A value alarms below `low` or above `high` once out for `delay_seconds`; at or beyond an
    extreme limit it alarms at high priority after `extreme_delay_seconds`; it clears when back
    inside the limits by `clear_margin` for `clear_delay_seconds`. A latching alarm stays open
    until acknowledged even once the value has recovered."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="alarm_rules"
    )
    place = models.ForeignKey(
        "clinic.Place", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    patient = models.ForeignKey(
        "clinic.Patient", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    metric = models.CharField(max_length=16, choices=RULE_METRIC_CHOICES)
    low = models.FloatField(null=True, blank=True)
    high = models.FloatField(null=True, blank=True)
    extreme_low = models.FloatField(null=True, blank=True)
    extreme_high = models.FloatField(null=True, blank=True)
    clear_margin = models.FloatField(default=0)
    delay_seconds = models.FloatField(default=0)
    extreme_delay_seconds = models.FloatField(default=0)
    clear_delay_seconds = models.FloatField(default=0)
    priority = models.CharField(max_length=8, choices=Priority.choices)
    latching = models.BooleanField(default=False)
    reason = models.TextField(max_length=2000, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RuleQuerySet.as_manager()

    class Meta:
        ordering = ["metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "metric"],
                condition=models.Q(place__isnull=True, patient__isnull=True),
                name="alarms_rule_one_default",
            ),
            models.UniqueConstraint(fields=["place", "metric"], name="alarms_rule_one_per_place"),
            models.UniqueConstraint(
                fields=["patient", "metric"], name="alarms_rule_one_per_patient"
            ),
            models.CheckConstraint(
                condition=models.Q(place__isnull=True) | models.Q(patient__isnull=True),
                name="alarms_rule_place_or_patient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric} rule ({self.level})"

    @property
    def level(self) -> str:
        if self.patient_id is not None:
            return "patient"
        return "place" if self.place_id is not None else "organization"

    @property
    def limits(self) -> Limits:
        return Limits(
            low=self.low,
            high=self.high,
            priority=self.priority,
            delay=self.delay_seconds,
            clear_margin=self.clear_margin,
            clear_delay=self.clear_delay_seconds,
            extreme_low=self.extreme_low,
            extreme_high=self.extreme_high,
            extreme_delay=self.extreme_delay_seconds,
        )


# What a rule's fields hold; what its level (organization, place, patient) and metric are is
# fixed once made.
LIMIT_FIELDS = (
    "low",
    "high",
    "extreme_low",
    "extreme_high",
    "clear_margin",
    "delay_seconds",
    "extreme_delay_seconds",
    "clear_delay_seconds",
    "priority",
    "latching",
    "reason",
)


class News2Scale(models.Model):
    """A patient marked for SpO2 scale 2 (hypercapnic respiratory failure, target 88-92 %), by a
    doctor, with a reason."""

    patient = models.OneToOneField(
        "clinic.Patient", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    scale2 = models.BooleanField(default=False)
    reason = models.TextField(max_length=2000, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"NEWS2 scale {'2' if self.scale2 else '1'} for {self.patient_id}"


class AlarmQuerySet(TenantQuerySet["Alarm"]):
    def open(self) -> "AlarmQuerySet":
        return self.filter(closed_at__isnull=True)


class Alarm(models.Model):
    """A condition of a patient that needed attention: raised, then acknowledged and/or cleared,
    closed when both hold (a non-latching alarm closes when cleared). At most one open alarm per
    patient and condition, held by the database; a re-raise after closing opens a new one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="+"
    )
    patient = models.ForeignKey("clinic.Patient", on_delete=models.PROTECT, related_name="+")
    place = models.ForeignKey(
        "clinic.Place", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    device = models.ForeignKey(
        "devices.Device", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rule = models.ForeignKey(
        AlarmRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="alarms"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PATIENT)
    condition = models.CharField(max_length=16, choices=Condition.choices)
    priority = models.CharField(max_length=8, choices=Priority.choices)
    latching = models.BooleanField(default=False)
    value = models.FloatField(null=True, blank=True, help_text="The value that raised it.")
    active = models.BooleanField(default=True, help_text="Whether the condition still holds.")
    raised_at = models.DateTimeField()
    cleared_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = AlarmQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "condition"],
                condition=models.Q(closed_at__isnull=True),
                name="alarms_alarm_one_open_per_condition",
            )
        ]
        indexes = [
            models.Index(fields=["organization", "closed_at", "raised_at"], name="alarms_by_org")
        ]

    def __str__(self) -> str:
        return f"{self.priority} {self.condition} alarm of {self.patient_id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def may_close(self) -> bool:
        """Cleared, and acknowledged unless it does not latch."""
        return not self.active and (self.acknowledged_at is not None or not self.latching)


class Step(models.TextChoices):
    RAISED = "raised", "Raised"
    ESCALATED = "escalated", "Escalated to high priority"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    CLEARED = "cleared", "Condition cleared"
    NOTIFIED = "notified", "Notified"
    REMINDED = "reminded", "Reminded (unacknowledged)"
    CLOSED = "closed", "Closed"


class AlarmEvent(models.Model):
    """One entry of an alarm's timeline."""

    alarm = models.ForeignKey(Alarm, on_delete=models.CASCADE, related_name="timeline")
    step = models.CharField(max_length=16, choices=Step.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    priority = models.CharField(max_length=8, choices=Priority.choices, blank=True)
    value = models.FloatField(null=True, blank=True)
    note = models.TextField(max_length=2000, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.step} at {self.at:%H:%M:%S}"


class ConditionState(models.Model):
    """The engine's memory of one patient's condition between batches (see `engine.State`);
    only conditions that are raised or pending have a row."""

    patient = models.ForeignKey("clinic.Patient", on_delete=models.CASCADE, related_name="+")
    condition = models.CharField(max_length=16, choices=Condition.choices)
    raised = models.CharField(max_length=8, choices=Priority.choices, blank=True)
    out_since = models.DateTimeField(null=True, blank=True)
    extreme_since = models.DateTimeField(null=True, blank=True)
    in_since = models.DateTimeField(null=True, blank=True)
    last_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "condition"], name="alarms_state_one_per_condition"
            )
        ]

    def __str__(self) -> str:
        return f"{self.condition} of {self.patient_id}: {self.raised or 'quiet'}"


def as_datetime(seconds: float | None) -> datetime | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, tz=UTC)
