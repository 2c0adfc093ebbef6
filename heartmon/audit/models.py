from django.conf import settings
from django.db import models

from heartmon.core.tenancy import TenantQuerySet


class AuditAction(models.TextChoices):
    """What happened. Later apps add their own values; the column has no fixed choices."""

    REGISTERED = "account.registered"
    ACTIVATED = "account.activated"
    ACTIVATION_REQUESTED = "account.activation_requested"
    LOGIN = "auth.login"
    LOGIN_FAILED = "auth.login_failed"
    ACCOUNT_LOCKED = "auth.account_locked"
    LOGOUT = "auth.logout"
    PASSWORD_CHANGED = "auth.password_changed"  # noqa: S105 (an action name)
    PASSWORD_RESET_REQUESTED = "auth.password_reset_requested"  # noqa: S105 (an action name)
    PASSWORD_RESET = "auth.password_reset"  # noqa: S105 (an action name)
    TWO_FACTOR_ENABLED = "auth.2fa_enabled"
    TWO_FACTOR_DISABLED = "auth.2fa_disabled"
    USER_INVITED = "user.invited"
    INVITATION_ACCEPTED = "user.invitation_accepted"
    USER_UPDATED = "user.updated"
    ROLE_CHANGED = "user.role_changed"
    USER_DEACTIVATED = "user.deactivated"
    USER_REACTIVATED = "user.reactivated"
    USER_DELETED = "user.deleted"
    USER_UNLOCKED = "user.unlocked"
    ORGANIZATION_UPDATED = "organization.updated"
    WEBHOOK_CREATED = "webhook.created"
    WEBHOOK_UPDATED = "webhook.updated"
    WEBHOOK_DELETED = "webhook.deleted"
    DEVICE_ASSIGNED = "device.assigned"
    DEVICE_ASSIGNMENTS_VIEWED = "device.assignments_viewed"
    DEVICE_UNASSIGNED = "device.unassigned"
    PLACE_CREATED = "place.created"
    PLACE_UPDATED = "place.updated"
    PLACE_DELETED = "place.deleted"
    PATIENT_CREATED = "patient.created"
    PATIENT_VIEWED = "patient.viewed"
    PATIENTS_LISTED = "patient.listed"
    PATIENT_UPDATED = "patient.updated"
    PATIENT_ARCHIVED = "patient.archived"
    PATIENT_RESTORED = "patient.restored"
    CARE_TEAM_VIEWED = "patient.care_team_viewed"
    CARE_TEAM_MEMBER_ADDED = "patient.care_team_added"
    CARE_TEAM_MEMBER_REMOVED = "patient.care_team_removed"
    ADMISSION_CREATED = "admission.created"
    ADMISSION_VIEWED = "admission.viewed"
    ADMISSIONS_LISTED = "admission.listed"
    ADMISSION_TRANSFERRED = "admission.transferred"
    ADMISSION_DISCHARGED = "admission.discharged"
    ECG_UPLOADED = "ecg.uploaded"
    ECG_REPLACED = "ecg.replaced"
    ECG_DELETED = "ecg.deleted"
    ECG_LISTED = "ecg.listed"
    ECG_VIEWED = "ecg.viewed"
    ECG_SIGNAL_READ = "ecg.signal_read"
    ECG_BEATS_READ = "ecg.beats_read"
    ECG_EVENTS_READ = "ecg.events_read"
    ECG_EXPORTED = "ecg.exported"
    ECG_ORIGINAL_DOWNLOADED = "ecg.original_downloaded"
    ECG_DATA_QUERIED = "ecg.data_queried"
    ECG_PROCESSED = "ecg.processed"
    READINGS_ENTERED = "readings.entered"
    READINGS_VIEWED = "readings.viewed"
    READINGS_EXPORTED = "readings.exported"
    READINGS_AGGREGATED = "readings.aggregated"
    READING_CORRECTED = "reading.corrected"
    READING_DELETED = "reading.deleted"
    ADMIN_ADDED = "admin.added"
    ADMIN_CHANGED = "admin.changed"
    ADMIN_DELETED = "admin.deleted"


class AuditEvent(models.Model):
    """Append-only: who did or read what, when and from where. A database trigger refuses
    UPDATE and DELETE, so neither the API, the admin nor a stray query can rewrite history."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    patient_id = models.UUIDField(null=True, blank=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["organization", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action}"
