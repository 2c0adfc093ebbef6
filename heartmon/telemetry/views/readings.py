"""/readings/: batches in (devices and people), history out as pages or CSV, corrections."""

from collections.abc import Mapping
from typing import Any

import orjson
from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.audit.mixins import AuditedReadMixin
from heartmon.audit.models import AuditAction
from heartmon.core.actor import actor_of
from heartmon.core.errors import PayloadTooLarge
from heartmon.core.query import list_parameters, refuse_unknown_parameters
from heartmon.core.schema import problems
from heartmon.devices.authentication import sending_device
from heartmon.telemetry import serializers as s
from heartmon.telemetry import services
from heartmon.telemetry.filters import ReadingFilter
from heartmon.telemetry.ingest import MAX_BYTES_PER_ITEM, ingest_batch, parse_batch
from heartmon.telemetry.models import Reading
from heartmon.telemetry.pagination import ReadingPagination, ordering_of
from heartmon.telemetry.queries import readings_csv
from heartmon.telemetry.views.access import ReadingsAccess


class CSVRenderer(BaseRenderer):
    """Selects the CSV export (`?format=csv` or `Accept: text/csv`); the view streams it. Only
    error bodies are rendered here, and they go out as JSON problem details."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        return JSONRenderer().render(data)


DEVICE_ID = "71bf19cb-e7e7-4334-af31-5ebba56a655d"
ATOMIC = OpenApiParameter(
    "atomic", OpenApiTypes.BOOL, description="true: store all or nothing (any invalid item: 400)."
)
OWN_SHAPE = OpenApiExample(
    "Our shape (from a person, each item names its device)",
    request_only=True,
    value=[
        {
            "metric": "heart_rate",
            "value": 72,
            "recorded_at": "2026-11-20T08:00:00Z",
            "device": DEVICE_ID,
        },
        {"metric": "spo2", "value": 97, "recorded_at": 1795161600, "device": DEVICE_ID},
    ],
)
REFERENCE_SHAPE = OpenApiExample(
    "Reference 004's shape (metric generic)",
    request_only=True,
    value=[
        {
            "timestamp": "2026-11-20T10:56:18.950901",
            "reading": 0.63,
            "device_id": DEVICE_ID,
            "customer_id": "b0c2bda5-0d6d-4c6a-86d4-76489ea2b9df",
        }
    ],
)


@extend_schema_view(
    list=extend_schema(
        summary="Readings in a window, as cursor pages or a streamed CSV (?format=csv); audited",
        responses={
            200: s.ReadingSerializer(many=True),
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV export."),
            **problems(400, 401, 403),
        },
    ),
    retrieve=extend_schema(
        summary="One reading (audited)",
        responses={200: s.ReadingSerializer, **problems(401, 403, 404)},
    ),
    partial_update=extend_schema(
        summary="Correct a reading's value or time (audited with both versions)",
        request=s.ReadingCorrectionSerializer,
        responses={200: s.ReadingSerializer, **problems(400, 401, 403, 404, 409)},
        examples=[OpenApiExample("New value", request_only=True, value={"value": 74})],
    ),
    destroy=extend_schema(
        summary="Delete a reading (audited)", responses={204: None, **problems(401, 403, 404)}
    ),
)
class ReadingViewSet(ReadingsAccess, AuditedReadMixin, viewsets.GenericViewSet[Reading]):
    serializer_class = s.ReadingSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReadingFilter
    pagination_class = ReadingPagination
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    device_actions = frozenset({"create"})

    def get_queryset(self) -> QuerySet[Reading]:
        return Reading.objects.visible_to(actor_of(self.request))

    def get_renderers(self) -> list[BaseRenderer]:
        if self.action == "list":
            return [JSONRenderer(), CSVRenderer()]
        return [JSONRenderer()]

    def list(self, request: Request) -> Response | StreamingHttpResponse:
        readings = self.filter_queryset(self.get_queryset())
        if request.accepted_renderer.format == "csv":
            refuse_unknown_parameters(request, list_parameters(self, self.paginator))
            return self._csv(readings.order_by(*ordering_of(request)))
        page = self.paginate_queryset(readings) or []
        self.audit_read(
            AuditAction.READINGS_VIEWED,
            patient_ids=(reading.patient_id for reading in page),
            readings=len(page),
        )
        return self.get_paginated_response(s.ReadingSerializer(page, many=True).data)

    def _csv(self, readings: QuerySet[Reading]) -> StreamingHttpResponse:
        self.audit_read(
            AuditAction.READINGS_EXPORTED,
            patient_ids=readings.order_by().values_list("patient_id", flat=True).distinct(),
        )
        response = StreamingHttpResponse(readings_csv(readings), content_type="text/csv")
        response["Content-Disposition"] = 'attachment; filename="readings.csv"'
        return response

    @extend_schema(
        summary="Send a batch of readings (device key, or a person naming devices per item)",
        request=s.ReadingItemSerializer(many=True),
        parameters=[ATOMIC],
        responses={200: s.IngestResultSerializer, **problems(400, 401, 403, 413)},
        examples=[OWN_SHAPE, REFERENCE_SHAPE],
    )
    def create(self, request: Request) -> HttpResponse:
        """The hot path: the body read once, no serializer per item, the answer written by orjson.
        A device's batches are not audited per request (devices write continuously; the readings
        and the device's last_seen_at are their record); a person's batch is."""
        items = parse_batch(_body(request), max_items=settings.READINGS_MAX_BATCH)
        atomic = _flag(request, "atomic")
        device, actor = sending_device(request), actor_of(request)
        if device is None:
            result = services.enter_readings(items=items, atomic=atomic, actor=actor)
        else:
            result = ingest_batch(items, sender=device, actor=actor, atomic=atomic)
        return HttpResponse(orjson.dumps(result.as_dict()), content_type="application/json")

    def retrieve(self, request: Request, pk: str) -> Response:
        reading = self.get_object()
        self.audit_read(
            AuditAction.READINGS_VIEWED, patient_ids=[reading.patient_id], target=reading
        )
        return Response(s.ReadingSerializer(reading).data)

    def partial_update(self, request: Request, pk: str) -> Response:
        reading = self.get_object()
        serializer = s.ReadingCorrectionSerializer(
            data=request.data, context={"metric": reading.metric}
        )
        serializer.is_valid(raise_exception=True)
        reading = services.correct_reading(
            reading=reading, changes=serializer.validated_data, actor=actor_of(request)
        )
        return Response(s.ReadingSerializer(reading).data)

    def destroy(self, request: Request, pk: str) -> Response:
        services.delete_reading(reading=self.get_object(), actor=actor_of(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


def _body(request: Request) -> bytes:
    """The raw body, refused unread (413) when larger than a full batch can be. Read from the
    stream, not HttpRequest.body, whose DATA_UPLOAD_MAX_MEMORY_SIZE would cap batches at 2.5 MB."""
    limit = settings.READINGS_MAX_BATCH * MAX_BYTES_PER_ITEM
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise PayloadTooLarge(
            f"A batch body holds at most {limit:,} bytes; this one has {length:,}. "
            "Split it into smaller batches."
        )
    stream = request.stream
    body: bytes = stream.read(limit + 1) if stream is not None else b""
    if len(body) > limit:  # sent without a Content-Length
        raise PayloadTooLarge(f"A batch body holds at most {limit:,} bytes.")
    return body


def _flag(request: Request, name: str) -> bool:
    raw = request.query_params.get(name, "false")
    try:
        return bool(serializers.BooleanField().to_internal_value(raw))
    except exceptions.ValidationError as exc:
        raise exceptions.ValidationError({name: exc.detail}) from exc
