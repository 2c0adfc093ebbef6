"""OpenAPI pieces shared by every app: the problem-details error body, and the hook that makes
every documented error what the server serves (application/problem+json)."""

from http import HTTPStatus
from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from heartmon.core.errors import PROBLEM_CONTENT_TYPE


class ProblemSerializer(serializers.Serializer[None]):
    """RFC 9457 problem details, the body of every error."""

    # Field names follow RFC 9457, shadowing Serializer attributes this documentation-only
    # serializer never uses.
    type = serializers.CharField(help_text="URI naming the kind of problem.")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong and what to do about it.")
    instance = serializers.CharField(required=False)  # type: ignore[assignment]
    request_id = serializers.CharField(required=False)
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For invalid input: the messages of each field.",
    )


def problems(*statuses: int) -> dict[int, Any]:
    """`responses` entries documenting these error statuses as problem details."""
    return {
        code: OpenApiResponse(ProblemSerializer, description=HTTPStatus(code).phrase)
        for code in statuses
    }


PROBLEM_SCHEMA = {"$ref": "#/components/schemas/Problem"}
UNSAFE = frozenset({"post", "put", "patch", "delete"})


def problem_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """Postprocessing hook: every operation documents the errors the server may answer it with,
    each as problem details in application/problem+json (as served) — see `_error_statuses`."""
    throttled = {
        (path, method.lower())
        for path, _, method, view in generator.endpoints
        if getattr(view.cls, "throttle_classes", None)
    }
    for path, operations in result["paths"].items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in _error_statuses(path, method, operation, (path, method) in throttled):
                responses.setdefault(str(code), {"description": HTTPStatus(code).phrase})
            for code, response in responses.items():
                if code != "default" and int(code) >= 400:
                    response["content"] = {PROBLEM_CONTENT_TYPE: {"schema": PROBLEM_SCHEMA}}
    return result


def _error_statuses(path: str, method: str, operation: dict[str, Any], throttled: bool) -> set[int]:
    """What any operation of ours may answer besides its own outcomes: 401 for a bad token (any
    endpoint reads one), 403 to a role without the right or a failed CSRF check, 404 for an id
    not seen, 400 for a bad query or body, 411/413/415 for a body unread, 429 when throttled."""
    anonymous = operation.get("security") == [{}]
    codes = {401}
    if not anonymous or method in UNSAFE:
        codes.add(403)
    if "{" in path:
        codes.add(404)
    if operation.get("parameters") or "requestBody" in operation:
        codes.add(400)
    if "requestBody" in operation:
        codes |= {400, 411, 413, 415}
    if throttled:
        codes.add(429)
    return codes
