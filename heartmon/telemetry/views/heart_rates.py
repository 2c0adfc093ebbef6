"""/heart-rates/: the reference systems' heart-rate API, a view over heart-rate readings."""

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.audit.mixins import AuditedReadMixin
from heartmon.audit.models import AuditAction
from heartmon.core.actor import actor_of
from heartmon.core.schema import problems
from heartmon.devices.authentication import sending_device
from heartmon.telemetry import serializers as s
from heartmon.telemetry import services
from heartmon.telemetry.filters import HeartRateFilter
from heartmon.telemetry.models import Metric, Reading
from heartmon.telemetry.views.access import ReadingsAccess


@extend_schema_view(
    list=extend_schema(
        summary="Heart rates, newest first (filters and limit/offset as reference 001); audited",
        responses={200: s.HeartRateSerializer(many=True), **problems(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="One heart rate (audited)",
        responses={200: s.HeartRateSerializer, **problems(401, 403, 404)},
    ),
)
class HeartRateViewSet(
    ReadingsAccess, AuditedReadMixin, mixins.ListModelMixin, viewsets.GenericViewSet[Reading]
):
    serializer_class = s.HeartRateSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = HeartRateFilter
    lookup_value_regex = r"\d+"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    device_actions = frozenset({"create"})

    def get_queryset(self) -> QuerySet[Reading]:
        readings = Reading.objects.visible_to(actor_of(self.request))
        readings = readings.filter(metric=Metric.HEART_RATE)
        return readings.order_by("-recorded_at", "-id")

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        self.audit_read(
            AuditAction.READINGS_VIEWED,
            patient_ids=(row["patient"] for row in response.data["results"]),
            readings=len(response.data["results"]),
        )
        return response

    @extend_schema(
        summary="Record a heart rate (a person names the patient; a device key sends its own)",
        request=s.HeartRateInputSerializer,
        responses={
            201: s.HeartRateSerializer,
            200: s.HeartRateSerializer,
            **problems(400, 401, 403, 409),
        },
        description=(
            "201: stored. 200: a device re-sent a heart rate already stored (the stored one). "
            "409: a person entered one already stored for that device and instant."
        ),
        examples=[
            OpenApiExample(
                "By hand",
                request_only=True,
                value={
                    "patient": "3f0c1c1e-8a5e-4d7e-9a55-2f1b6f0f1c2d",
                    "bpm": 78,
                    "recorded_at": "2026-11-20T10:00:00Z",
                },
            )
        ],
    )
    def create(self, request: Request) -> Response:
        reading, created = services.enter_heart_rate(
            data=request.data, sender=sending_device(request), actor=actor_of(request)
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(s.HeartRateSerializer(reading).data, status=code)

    def retrieve(self, request: Request, pk: str) -> Response:
        reading = self.get_object()
        self.audit_read(
            AuditAction.READINGS_VIEWED, patient_ids=[reading.patient_id], target=reading
        )
        return Response(s.HeartRateSerializer(reading).data)

    @extend_schema(
        summary="Correct a heart rate's bpm or time (audited with both versions)",
        request=s.HeartRateCorrectionSerializer,
        responses={200: s.HeartRateSerializer, **problems(400, 401, 403, 404, 409)},
        examples=[OpenApiExample("New value", request_only=True, value={"bpm": 74})],
    )
    def partial_update(self, request: Request, pk: str) -> Response:
        reading = self.get_object()
        serializer = s.HeartRateCorrectionSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        if "bpm" in changes:
            changes["value"] = changes.pop("bpm")
        reading = services.correct_reading(
            reading=reading, changes=changes, actor=actor_of(request)
        )
        return Response(s.HeartRateSerializer(reading).data)

    @extend_schema(
        summary="Delete a heart rate (audited)", responses={204: None, **problems(401, 403, 404)}
    )
    def destroy(self, request: Request, pk: str) -> Response:
        services.delete_reading(reading=self.get_object(), actor=actor_of(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
