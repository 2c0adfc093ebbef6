"""OpenAPI pieces shared by every app: the problem-details error body."""

from http import HTTPStatus
from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


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
