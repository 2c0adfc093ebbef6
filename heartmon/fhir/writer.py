"""Running an export: each resource type's resources streamed from the database into NDJSON
files of at most FHIR_EXPORT_FILE_RESOURCES lines, each written to a temporary file line by line
and then copied into the default storage. Memory stays flat whatever the export holds; the job
is checked every CHECK_SECONDS, so a cancel stops it promptly, and its heartbeat shows the
worker lives. Files of finished exports
are deleted once they expire."""

import logging
import tempfile
import time
import uuid
from typing import IO, Any

import orjson
from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.utils import timezone

from heartmon.audit.services import record_read
from heartmon.clinic.selectors import patients_for
from heartmon.core.actor import Actor
from heartmon.fhir.models import ExportFile, ExportJob, ExportScope, ExportStatus
from heartmon.fhir.resources import TYPES
from heartmon.fhir.resources.base import PatientId, Resource

CHECK_SECONDS = 2.0
EXPORTED = "fhir.exported"

logger = logging.getLogger(__name__)


class Cancelled(Exception):
    pass


class NdjsonFiles:
    """One resource type's files of a job, numbered from 1."""

    def __init__(self, job: ExportJob, resource_type: str) -> None:
        self.job, self.resource_type = job, resource_type
        self.limit: int = settings.FHIR_EXPORT_FILE_RESOURCES
        self.number = 0
        self.handle: IO[bytes] | None = None
        self.count = 0
        self.patient_ids: set[str] = set()

    def add(self, resource: Resource, patient_id: PatientId) -> None:
        if self.handle is None:
            self.handle = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        self.handle.write(orjson.dumps(resource) + b"\n")
        self.count += 1
        if patient_id is not None:
            self.patient_ids.add(str(patient_id))
        if self.count == self.limit:
            self.close()

    def discard(self) -> None:
        """Drop the file being written, if any (the export stopped)."""
        if self.handle is not None:
            self.handle.close()
            self.handle = None

    def close(self) -> None:
        """Store the file being written, if any."""
        if self.handle is None:
            return
        self.number += 1
        name = f"{self.resource_type}-{self.number}.ndjson"
        self.handle.seek(0)
        default_storage.save(f"{self.job.prefix}/{name}", File(self.handle))
        self.handle.close()
        ExportFile.objects.create(
            job=self.job,
            resource_type=self.resource_type,
            name=name,
            count=self.count,
            patient_ids=sorted(self.patient_ids),
        )
        self.handle, self.count, self.patient_ids = None, 0, set()


def run_export(*, job_id: uuid.UUID | str) -> None:
    """Claim the job (once: a second delivery of the task finds it taken) and write its files."""
    if not ExportJob.objects.filter(pk=job_id, status=ExportStatus.ACCEPTED).update(
        status=ExportStatus.RUNNING, heartbeat_at=timezone.now()
    ):
        return
    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    actor = job.requested_by.as_actor()
    try:
        _write(job, actor)
    except Cancelled:
        delete_files(job)
    except Exception:
        logger.exception("FHIR export %s failed", job.pk)
        delete_files(job)
        ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
            status=ExportStatus.FAILED, error="The export failed; ask again or report its id."
        )


def _write(job: ExportJob, actor: Actor) -> None:
    patients = _compartment(job, actor)
    for resource_type in job.types:
        files = NdjsonFiles(job, resource_type)
        try:
            _write_type(files, actor, patients)
            files.close()
        finally:
            files.discard()
    _finish(job, actor)


def _write_type(files: NdjsonFiles, actor: Actor, patients: QuerySet[Any] | None) -> None:
    fhir_type, job = TYPES[files.resource_type], files.job
    if not fhir_type.permitted(actor):
        raise PermissionError(f"The role no longer reads {fhir_type.name}.")
    written, next_check = 0, time.monotonic() + CHECK_SECONDS
    for source in fhir_type.sources:
        if not source.permitted(actor):
            continue
        for resource, patient_id in source.export(actor, patient_ids=patients, since=job.since):
            files.add(resource, patient_id)
            written += 1
            if time.monotonic() >= next_check:
                _check_running(job, f"{fhir_type.name}: {written:,} resources written")
                next_check = time.monotonic() + CHECK_SECONDS


def _compartment(job: ExportJob, actor: Actor) -> QuerySet[Any] | None:
    if job.scope != ExportScope.PATIENT:
        return None
    return patients_for(actor).order_by().values("pk")


def _check_running(job: ExportJob, progress: str) -> None:
    if not ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
        progress=progress, heartbeat_at=timezone.now()
    ):
        raise Cancelled  # or given up for dead: either way, nobody wants its files


def _finish(job: ExportJob, actor: Actor) -> None:
    now = timezone.now()
    if not ExportJob.objects.filter(pk=job.pk, status=ExportStatus.RUNNING).update(
        status=ExportStatus.DONE,
        progress="done",
        finished_at=now,
        expires_at=now + settings.FHIR_EXPORT_TTL,
    ):
        delete_files(job)  # cancelled after the last check
        return
    files = list(job.files.all())
    record_read(
        EXPORTED,
        actor=actor,
        patient_ids=[pk for file in files for pk in file.patient_ids],
        query=job.request_url,
        target=job,
        details={"types": job.types, "resources": sum(file.count for file in files)},
    )


def delete_files(job: ExportJob) -> None:
    for file in job.files.all():
        default_storage.delete(f"{job.prefix}/{file.name}")
    job.files.all().delete()


def purge_expired() -> int:
    """Delete the files of exports past their expiry; returns how many exports."""
    expired = ExportJob.objects.filter(status=ExportStatus.DONE, expires_at__lte=timezone.now())
    count = 0
    for job in expired:
        delete_files(job)
        ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.EXPIRED)
        count += 1
    return count
