"""One error shape for the whole API: RFC 9457 problem details (application/problem+json).

DRF exceptions, Django's Http404/PermissionDenied, our DomainError family and unhandled exceptions
all leave through `exception_handler`; `ProblemDetailsMiddleware` catches what never reached DRF
(unknown URLs, CSRF failures, errors in middleware) so no HTML error page is served under /api/.
`LengthRequiredMiddleware` refuses a chunked body that a WSGI server would hand over as empty.
"""

import logging
import math
import uuid
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.handlers.wsgi import WSGIRequest
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.csrf import csrf_failure as django_csrf_failure
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import set_rollback

from heartmon.core.actor import Actor

PROBLEM_CONTENT_TYPE = "application/problem+json"
NON_FIELD_KEY = "non_field_errors"

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the domain was broken; services raise it, the API answers with its status."""

    status = 400
    code = "invalid_request"
    title = "Invalid request"
    retry_after: int | None = None

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        field: str | None = None,
        errors: dict[str, list[str]] | None = None,
        extensions: dict[str, Any] | None = None,
    ):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors if errors is not None else ({field: [detail]} if field else None)
        self.extensions = extensions or {}  # extra members of the problem body (RFC 9457 §3.2)
        if code:
            self.code = code


class InvalidInput(DomainError):
    code = "validation_error"
    title = "Invalid input"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = "Conflict with the current state"


class PayloadTooLarge(DomainError):
    status = 413
    code = "payload_too_large"
    title = "Request too large"


class NotFound(DomainError):
    status = 404
    code = "not_found"
    title = "Not found"


class ServiceUnavailable(DomainError):
    """A service heartmon depends on (the database, the cache) cannot be reached: retry."""

    status = 503
    code = "service_unavailable"
    title = "Service unavailable"
    retry_after = 30


class NoOrganization(Conflict):
    """A person without an organization (a superuser) cannot create an organization's data
    through the API: there is no organization to put it in."""

    code = "no_organization"

    def __init__(self, what: str) -> None:
        super().__init__(f"You belong to no organization: {what} through the admin.")


def organization_id_of(actor: Actor, *, what: str) -> uuid.UUID:
    """The organization the actor's new `what` lands in: their own."""
    if actor.organization_id is None:
        raise NoOrganization(what)
    return actor.organization_id


def problem_type(code: str) -> str:
    return f"urn:heartmon:problem:{code.replace('_', '-')}"


def problem_body(
    status: int,
    code: str,
    detail: str,
    *,
    title: str | None = None,
    errors: dict[str, list[str]] | None = None,
    request: HttpRequest | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": problem_type(code),
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    if request is not None:
        body["instance"] = request.path
        body["request_id"] = getattr(request, "request_id", None)
    return body


def flatten_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field.sub.0": [messages]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            flat.update(flatten_errors(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    if isinstance(detail, list) and not all(isinstance(item, str) for item in detail):
        flat = {}
        for index, item in enumerate(detail):
            flat.update(flatten_errors(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or NON_FIELD_KEY: [str(message) for message in messages]} if messages else {}


def _validation_detail(errors: dict[str, list[str]]) -> str:
    if not errors:
        return "Invalid input."
    field, messages = next(iter(errors.items()))
    first = messages[0] if field == NON_FIELD_KEY else f"{field}: {messages[0]}"
    more = len(errors) - 1
    return first if not more else f"{first} (and {more} more; see errors)"


def _problem_from_api_exception(exc: exceptions.APIException, request: Any) -> Response:
    headers: dict[str, str] = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = str(exc.auth_header)  # type: ignore[attr-defined]
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(max(1, math.ceil(exc.wait)))  # type: ignore[attr-defined]
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten_errors(exc.detail)
        body = problem_body(
            exc.status_code,
            "validation_error",
            _validation_detail(errors),
            title="Invalid input",
            errors=errors,
            request=request,
        )
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        detail: Any = exc.detail
        if isinstance(detail, dict):  # simplejwt puts {"detail", "code", "messages"} here
            detail = detail.get("detail", exc.default_detail)
        body = problem_body(exc.status_code, str(code), str(detail), request=request)
    return Response(
        body, status=exc.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE
    )


def _refused_request(exc: SuspiciousOperation) -> DomainError:
    """Django's refusals of a request's form: too many fields or files, too large a body."""
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge("The request body is larger than a form may be.")
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return InvalidInput(
            f"A request holds at most {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:,} fields and "
            f"{settings.DATA_UPLOAD_MAX_NUMBER_FILES:,} files.",
            code="too_many_fields",
        )
    return InvalidInput("The request could not be understood.", code="bad_request")


# The database is unreachable, restarting or refusing connections: the client should retry, not
# report a bug (devices keep their batch and send it again).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable(exc: Exception) -> ServiceUnavailable:
    logger.warning("The database is unavailable (%s)", type(exc).__name__)
    return ServiceUnavailable("The database is unavailable: retry shortly.")


# The cache (Redis) went away after a request's throttles passed, e.g. while a reset code is
# being stored: retry, as for the database.
CACHE_UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)


def cache_unavailable(exc: Exception) -> ServiceUnavailable:
    logger.warning("The cache is unavailable (%s)", type(exc).__name__)
    return ServiceUnavailable("The cache is unavailable: retry shortly.")


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    request = context.get("request")
    set_rollback()
    if isinstance(exc, DATABASE_UNAVAILABLE):
        exc = database_unavailable(exc)
    elif isinstance(exc, CACHE_UNAVAILABLE):
        exc = cache_unavailable(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, SuspiciousOperation):
        exc = _refused_request(exc)
    if isinstance(exc, DomainError):
        body = problem_body(
            exc.status, exc.code, exc.detail, title=exc.title, errors=exc.errors, request=request
        )
        body.update(exc.extensions)
        headers = {"Retry-After": str(exc.retry_after)} if exc.retry_after else None
        return Response(body, status=exc.status, headers=headers, content_type=PROBLEM_CONTENT_TYPE)
    if isinstance(exc, exceptions.APIException):
        return _problem_from_api_exception(exc, request)
    logger.exception("Unhandled %s while serving the API", type(exc).__name__)
    body = problem_body(
        500,
        "server_error",
        "The server failed to process the request; quote the request id when reporting it.",
        request=request,
    )
    return Response(body, status=500, content_type=PROBLEM_CONTENT_TYPE)


def problem_response(request: HttpRequest, status: int, detail: str, code: str) -> JsonResponse:
    return JsonResponse(
        problem_body(status, code, detail, request=request),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
    )


_DETAIL_BY_STATUS = {
    400: ("bad_request", "The request could not be understood."),
    403: ("permission_denied", "You do not have permission to perform this action."),
    404: ("not_found", "No resource at this address."),
    405: ("method_not_allowed", "This method is not allowed here."),
    411: ("length_required", "Send the body with a Content-Length header."),
    413: ("payload_too_large", "The request body is too large."),
    500: ("server_error", "The server failed to process the request; quote the request id."),
}


class ProblemDetailsMiddleware:
    """Under /api/, turn any error response that is not already JSON into problem details."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response: HttpResponse = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and "json" not in response.get("Content-Type", "")
        ):
            code, detail = _DETAIL_BY_STATUS.get(
                response.status_code, ("error", HTTPStatus(response.status_code).phrase)
            )
            problem = problem_response(request, response.status_code, detail, code)
            for header in ("Allow", "Retry-After", "WWW-Authenticate"):
                if header in response:
                    problem[header] = response[header]
            return problem
        return response

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        """A database outage in a view outside DRF (whose handler answers it itself)."""
        if not isinstance(exc, DATABASE_UNAVAILABLE):
            return None
        unavailable = database_unavailable(exc)
        if request.path.startswith("/api/"):
            response: HttpResponse = problem_response(
                request, unavailable.status, unavailable.detail, unavailable.code
            )
        else:
            response = HttpResponse(unavailable.detail, status=503, content_type="text/plain")
        response["Retry-After"] = str(unavailable.retry_after)
        return response


class LengthRequiredMiddleware:
    """Under WSGI, Django reads a body sent without a Content-Length (Transfer-Encoding: chunked)
    as empty: refuse it with 411 instead of acting on nothing. (Under ASGI the whole body is read,
    and a buffering proxy in front sends a Content-Length.)"""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            isinstance(request, WSGIRequest)
            and "chunked" in request.headers.get("Transfer-Encoding", "").lower()
            and not request.META.get("CONTENT_LENGTH")
        ):
            detail = "Send the body with a Content-Length header; chunked bodies are not read."
            return problem_response(request, 411, detail, "length_required")
        response: HttpResponse = self.get_response(request)
        return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    if not request.path.startswith("/api/"):
        return django_csrf_failure(request, reason)
    return problem_response(
        request,
        403,
        "CSRF check failed: send the csrftoken cookie's value in the X-CSRFToken header.",
        "csrf_failed",
    )
