"""Bulk Data export (HL7 FHIR Bulk Data Access): kick-off at $export and Patient/$export (202 with
Content-Location), polling (202 while it runs, the manifest when done), DELETE to cancel, and the
NDJSON files, downloaded with the same credentials by the person who asked."""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse
from django.utils.http import http_date
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.audit.services import record_read
from heartmon.core.actor import actor_of
from heartmon.core.time import parse_time
from heartmon.fhir import export
from heartmon.fhir.models import ExportJob, ExportScope, ExportStatus
from heartmon.fhir.outcomes import FhirError, outcome
from heartmon.fhir.views import FhirView, base_url

NDJSON = "application/fhir+ndjson"
OUTPUT_FORMATS = frozenset({NDJSON, "application/ndjson", "ndjson"})
KICK_OFF_PARAMS = frozenset({"_outputFormat", "_type", "_since"})
DOWNLOADED = "fhir.export_downloaded"
RETRY_SECONDS = 2


class KickOffView(FhirView):
    scope = ExportScope.SYSTEM

    def get(self, request: Request) -> Response:
        actor = actor_of(request)
        asked = _kick_off(request)
        job = export.start_export(
            actor=actor,
            scope=self.scope,
            types=export.exportable_types(actor, self.scope, asked.types),
            since=asked.since,
            request_url=request.build_absolute_uri(),
        )
        status_url = f"{base_url(request)}/$export-status/{job.pk}"
        body = outcome(
            "informational", "Export accepted; poll Content-Location.", severity="information"
        )
        return Response(body, status=202, headers={"Content-Location": status_url})


class PatientKickOffView(KickOffView):
    scope = ExportScope.PATIENT


@dataclass(frozen=True)
class KickOff:
    types: list[str] | None  # None: every type the role reads
    since: datetime | None


def _kick_off(request: Request) -> KickOff:
    """The export asked for; an asynchronous request in NDJSON with known parameters only."""
    params = request.query_params
    if "respond-async" not in request.headers.get("Prefer", ""):
        raise FhirError(
            400, "invalid", "Bulk export runs asynchronously: send Prefer: respond-async."
        )
    unknown = sorted(set(params) - KICK_OFF_PARAMS)
    if unknown:
        raise FhirError(
            400, "not-supported", f"Unsupported export parameter(s): {', '.join(unknown)}."
        )
    if params.get("_outputFormat", NDJSON) not in OUTPUT_FORMATS:
        raise FhirError(400, "not-supported", "_outputFormat: only application/fhir+ndjson.")
    return KickOff(types=_types(params.getlist("_type")), since=_since(params.get("_since")))


def _types(values: list[str]) -> list[str] | None:
    return [name for value in values for name in value.split(",") if name] if values else None


def _since(value: str | None) -> datetime | None:
    try:
        return None if value is None else parse_time(value)
    except ValueError as exc:
        raise FhirError(400, "invalid", f"_since: {exc}") from None


class StatusView(FhirView):
    def get(self, request: Request, job_id: uuid.UUID) -> Response:
        job = export.export_of(actor_of(request), job_id)
        if job.status == ExportStatus.FAILED:
            return Response(outcome("exception", job.error), status=500)
        if job.status != ExportStatus.DONE:
            headers = {"X-Progress": job.progress or job.status, "Retry-After": str(RETRY_SECONDS)}
            return Response(None, status=202, headers=headers)
        response = Response(_manifest(request, job), content_type="application/json")
        response["Expires"] = http_date(job.expires_at.timestamp()) if job.expires_at else ""
        return response

    def delete(self, request: Request, job_id: uuid.UUID) -> Response:
        export.cancel_export(actor=actor_of(request), job_id=job_id)
        body = outcome(
            "informational", "Export cancelled; its files are deleted.", severity="information"
        )
        return Response(body, status=202)


def _manifest(request: Request, job: ExportJob) -> dict[str, Any]:
    files_url = f"{base_url(request)}/$export-file/{job.pk}"
    return {
        "transactionTime": job.transaction_time.isoformat().replace("+00:00", "Z"),
        "request": job.request_url,
        "requiresAccessToken": True,
        "output": [
            {"type": file.resource_type, "url": f"{files_url}/{file.name}", "count": file.count}
            for file in job.files.all()
        ],
        "error": [],
    }


class FileView(FhirView):
    def get(self, request: Request, job_id: uuid.UUID, name: str) -> FileResponse:
        actor = actor_of(request)
        job = export.export_of(actor, job_id)
        file = job.files.filter(name=name).first() if job.status == ExportStatus.DONE else None
        if file is None:
            raise FhirError(404, "not-found", "No such file in this export.")
        record_read(
            DOWNLOADED,
            actor=actor,
            patient_ids=file.patient_ids,
            target=job,
            details={"file": file.name, "resources": file.count},
        )
        handle = default_storage.open(f"{job.prefix}/{file.name}", "rb")
        return FileResponse(handle, content_type=NDJSON)
