"""/alarms/: open first, newest first, filtered; one alarm with its timeline; acknowledge."""

from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.alarms import selectors
from heartmon.alarms import serializers as s
from heartmon.alarms.filters import AlarmFilter
from heartmon.alarms.models import Alarm
from heartmon.alarms.services import alarms
from heartmon.audit.mixins import AuditedReadMixin
from heartmon.core.actor import actor_of
from heartmon.core.permissions import RolePermission
from heartmon.core.schema import problems
from heartmon.core.validation import validated


@extend_schema_view(
    list=extend_schema(
        summary="Alarms, open first then newest first (?state, priority, patient, place, kind, "
        "since); audited",
        responses={200: s.AlarmSerializer(many=True), **problems(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="One alarm with its timeline (audited)",
        responses={200: s.AlarmDetailSerializer, **problems(401, 403, 404)},
    ),
)
class AlarmViewSet(AuditedReadMixin, viewsets.ReadOnlyModelViewSet[Alarm]):
    permission_classes = [RolePermission]
    role_resource = "alarms"
    role_actions = {"acknowledge": "acknowledge"}
    filterset_class = AlarmFilter
    ordering_fields: list[str] = []
    search_fields: list[str] = []

    def get_queryset(self) -> QuerySet[Alarm]:
        still_open = ExpressionWrapper(Q(closed_at__isnull=True), output_field=BooleanField())
        found = selectors.alarms_for(actor_of(self.request)).alias(still_open=still_open)
        if self.action == "retrieve":
            found = found.prefetch_related("timeline")
        return found.order_by("-still_open", "-raised_at", "-id")

    def get_serializer_class(self) -> Any:
        return s.AlarmSerializer if self.action == "list" else s.AlarmDetailSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        ids = [row["patient"] for row in response.data["results"]]
        self.audit_read("alarm.listed", patient_ids=ids)
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        alarm = self.get_object()
        self.audit_read("alarm.viewed", patient_ids=[alarm.patient_id], target=alarm)
        return Response(s.AlarmDetailSerializer(alarm).data)

    @extend_schema(
        summary="Acknowledge an alarm, with an optional note (doctors and nurses)",
        request=s.AcknowledgeSerializer,
        responses={200: s.AlarmDetailSerializer, **problems(400, 401, 403, 404, 409)},
        examples=[OpenApiExample("Seen", request_only=True, value={"note": "At the bedside"})],
    )
    @action(detail=True, methods=["post"])
    def acknowledge(self, request: Request, pk: str | None = None) -> Response:
        data = validated(s.AcknowledgeSerializer, request)
        alarm = alarms.acknowledge(
            alarm=self.get_object(), note=data["note"], actor=actor_of(request)
        )
        alarm = self.get_queryset().get(pk=alarm.pk)
        return Response(s.AlarmDetailSerializer(alarm).data)
