"""Bulk Data exports, kicked off, polled, cancelled and expired. Only the person who asked sees
an export; its files go FHIR_EXPORT_TTL after it finished."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from heartmon.audit.services import record_event
from heartmon.core.actor import Actor
from heartmon.fhir import tasks
from heartmon.fhir.models import ExportJob, ExportScope, ExportStatus
from heartmon.fhir.outcomes import FhirError
from heartmon.fhir.resources import TYPES
from heartmon.fhir.writer import delete_files

REQUESTED = "fhir.export_requested"
CANCELLED = "fhir.export_cancelled"
WORKER_SILENCE = timedelta(minutes=5)  # a worker writes a heartbeat every few seconds
LIVE = (ExportStatus.ACCEPTED, ExportStatus.RUNNING, ExportStatus.DONE, ExportStatus.FAILED)


def exportable_types(actor: Actor, scope: str, asked: list[str] | None) -> list[str]:
    """The types to export: those asked for (each must be served, in the scope, and readable by
    the actor's role), or every one the actor may read."""
    in_scope = [
        name
        for name, fhir_type in TYPES.items()
        if scope == ExportScope.SYSTEM or fhir_type.in_patient_compartment
    ]
    if asked is None:
        chosen = [name for name in in_scope if TYPES[name].permitted(actor)]
        if not chosen:
            raise FhirError(403, "forbidden", "Your role reads none of the exported types.")
        return chosen
    unknown = [name for name in asked if name not in in_scope]
    if unknown:
        raise FhirError(400, "not-supported", f"_type: cannot export {', '.join(unknown)} here.")
    refused = [name for name in asked if not TYPES[name].permitted(actor)]
    if refused:
        raise FhirError(403, "forbidden", f"Your role does not read {', '.join(refused)}.")
    return list(dict.fromkeys(asked))


@transaction.atomic
def start_export(
    *, actor: Actor, scope: str, types: list[str], since: datetime | None, request_url: str
) -> ExportJob:
    """A new export, run after commit; a person runs at most FHIR_EXPORTS_AT_ONCE at once."""
    _check_room(actor)
    job = ExportJob.objects.create(
        organization_id=actor.organization_id,
        requested_by_id=actor.person_id,
        scope=scope,
        types=types,
        since=since,
        request_url=request_url,
        transaction_time=timezone.now(),
    )
    record_event(REQUESTED, actor=actor, target=job, details={"types": types, "scope": scope})
    job_id = str(job.pk)
    transaction.on_commit(lambda: tasks.run_export.delay(job_id), robust=True)
    return job


def _check_room(actor: Actor) -> None:
    running = ExportJob.objects.filter(
        requested_by_id=actor.person_id,
        status__in=(ExportStatus.ACCEPTED, ExportStatus.RUNNING),
    ).count()
    if running >= settings.FHIR_EXPORTS_AT_ONCE:
        raise FhirError(
            429,
            "throttled",
            f"You have {running} exports under way: wait for one to finish, or DELETE one.",
            headers={"Retry-After": "60"},
        )


def export_of(actor: Actor, job_id: uuid.UUID) -> ExportJob:
    """The actor's own export while it lives (not cancelled, not expired), or a 404. A running
    export whose worker gave no sign of life for WORKER_SILENCE has failed."""
    jobs = ExportJob.objects.filter(pk=job_id, requested_by_id=actor.user_id, status__in=LIVE)
    if jobs.filter(
        status=ExportStatus.RUNNING, heartbeat_at__lt=timezone.now() - WORKER_SILENCE
    ).update(status=ExportStatus.FAILED, error="The export's worker stopped; ask again."):
        delete_files(jobs.get())  # what the worker wrote before it died
    job = jobs.first()
    if job is None or (job.expires_at is not None and job.expires_at <= timezone.now()):
        raise FhirError(404, "not-found", "No such export (cancelled, expired or never made).")
    return job


@transaction.atomic
def cancel_export(*, actor: Actor, job_id: uuid.UUID) -> None:
    """Stop a running export (its worker notices within a few thousand resources) or delete a
    finished one's files."""
    job = export_of(actor, job_id)
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.CANCELLED)
    if job.status in (ExportStatus.DONE, ExportStatus.FAILED):
        delete_files(job)
    record_event(CANCELLED, actor=actor, target=job)
