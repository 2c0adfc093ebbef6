"""Bulk Data exports: one row per `$export` request and one per NDJSON file it wrote. The files
live in Django's default storage under `fhir-exports/<job id>/` and go 24 hours after the job
finished (FHIR_EXPORT_TTL)."""

import uuid

from django.conf import settings
from django.db import models

from heartmon.core.tenancy import TenantQuerySet


class ExportStatus(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired (files deleted)"


class ExportScope(models.TextChoices):
    SYSTEM = "system", "Everything ($export)"
    PATIENT = "patient", "The patients' compartments (Patient/$export)"


class ExportJob(models.Model):
    """An export runs as the person who asked for it: their organization, their role at run time,
    and only they may poll it and download its files."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scope = models.CharField(max_length=8, choices=ExportScope.choices)
    types = models.JSONField()  # resource types, in export order
    since = models.DateTimeField(null=True, blank=True)
    request_url = models.TextField()
    status = models.CharField(
        max_length=16, choices=ExportStatus.choices, default=ExportStatus.ACCEPTED
    )
    progress = models.CharField(max_length=200, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # its worker's last sign of life
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    transaction_time = models.DateTimeField()  # what the export holds: data as of this moment
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.status})"

    @property
    def prefix(self) -> str:
        return f"fhir-exports/{self.pk}"


class ExportFile(models.Model):
    job = models.ForeignKey(ExportJob, on_delete=models.CASCADE, related_name="files")
    resource_type = models.CharField(max_length=32)
    name = models.CharField(max_length=200)  # in the default storage
    count = models.PositiveIntegerField()  # resources, one a line
    patient_ids = models.JSONField(default=list)  # whose data the file holds, for the audit

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "name"], name="fhir_exportfile_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
