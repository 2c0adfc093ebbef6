"""Errors under /fhir/R4/ leave as OperationOutcome resources with the HTTP status FHIR's RESTful
API asks for: the same cases the REST API answers with problem details, in FHIR's shape."""

import logging
from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from heartmon.core.errors import DomainError

FHIR_JSON = "application/fhir+json"

logger = logging.getLogger(__name__)

# HTTP status -> the IssueType code (http://hl7.org/fhir/issue-type) of an error without its own.
_ISSUE_TYPES = {
    400: "invalid",
    401: "login",
    403: "forbidden",
    404: "not-found",
    405: "not-supported",
    406: "not-supported",
    409: "conflict",
    413: "too-costly",
    415: "not-supported",
    429: "throttled",
}


class FhirError(Exception):
    def __init__(
        self,
        status: int,
        issue_type: str,
        diagnostics: str,
        *,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(diagnostics)
        self.status, self.issue_type, self.diagnostics = status, issue_type, diagnostics
        self.headers = headers or {}


def outcome(issue_type: str, diagnostics: str, *, severity: str = "error") -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": issue_type, "diagnostics": diagnostics}],
    }


def outcome_response(
    status: int, issue_type: str, diagnostics: str, headers: dict[str, str] | None = None
) -> Response:
    body = outcome(issue_type, diagnostics)
    return Response(body, status=status, headers=headers, content_type=FHIR_JSON)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's exception handler for the FHIR views."""
    set_rollback()
    if isinstance(exc, FhirError):
        return outcome_response(exc.status, exc.issue_type, exc.diagnostics, exc.headers)
    if isinstance(exc, Http404):
        return outcome_response(404, "not-found", "No such resource.")
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, DomainError):
        return outcome_response(exc.status, _ISSUE_TYPES.get(exc.status, "processing"), exc.detail)
    if isinstance(exc, exceptions.APIException):
        return _from_api_exception(exc)
    logger.exception("Unhandled %s while serving FHIR", type(exc).__name__)
    return outcome_response(500, "exception", "The server failed to process the request.")


def _from_api_exception(exc: exceptions.APIException) -> Response:
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    response = outcome_response(
        exc.status_code, _ISSUE_TYPES.get(exc.status_code, "processing"), str(detail)
    )
    if getattr(exc, "auth_header", None):
        response["WWW-Authenticate"] = str(exc.auth_header)  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        response["Retry-After"] = str(int(exc.wait or 1))  # type: ignore[attr-defined]
    return response
