"""Devices as people manage them: CRUD, status, history. (Assigning them to patients is the
clinic's: clinic.views.device_assignments.)"""

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.core.actor import actor_of
from heartmon.core.errors import InvalidInput
from heartmon.core.permissions import RolePermission
from heartmon.core.schema import problems
from heartmon.devices import serializers as s
from heartmon.devices.models import (
    Device,
    DeviceAssignment,
    DeviceEvent,
    DeviceEventKind,
    DeviceStatus,
)
from heartmon.devices.selectors import devices_for
from heartmon.devices.services import devices


class DeviceFilter(filters.FilterSet):
    # Plain ids, not choices: "no such choice" would tell whether an id exists elsewhere.
    home_place = filters.UUIDFilter(field_name="home_place_id")
    patient = filters.UUIDFilter(field_name="open_patient_id")
    assigned = filters.BooleanFilter(
        field_name="open_patient_id", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Device
        fields = ["status", "model", "manufacturer"]


CREATE_EXAMPLE = OpenApiExample(
    "A 3-lead monitor",
    request_only=True,
    value={
        "serial_number": "HM-3L-000123",
        "name": "Ward 3 monitor 1",
        "mac_address": "00-1b-63-84-45-e6",
        "manufacturer": "Acme Medical",
        "model": "HM-3L",
        "lead_count": 3,
        "firmware_version": "1.4.2",
    },
)


@extend_schema_view(
    list=extend_schema(
        summary="Your organization's devices",
        responses={200: s.DeviceSerializer(many=True), **problems(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="One device", responses={200: s.DeviceSerializer, **problems(401, 403, 404)}
    ),
    create=extend_schema(
        summary="Register a device (active, unassigned)",
        responses={201: s.DeviceSerializer, **problems(400, 401, 403, 409)},
        examples=[CREATE_EXAMPLE],
    ),
    partial_update=extend_schema(
        summary="Change a device's details (status has its own endpoint)",
        responses={200: s.DeviceSerializer, **problems(400, 401, 403, 404, 409)},
        examples=[OpenApiExample("Rename", request_only=True, value={"name": "Bed 4 monitor"})],
    ),
    destroy=extend_schema(
        summary="Delete a device never used (409 for one with history: retire it instead)",
        responses={204: None, **problems(401, 403, 404, 409)},
    ),
)
class DeviceViewSet(viewsets.ModelViewSet[Device]):
    serializer_class = s.DeviceSerializer
    permission_classes = [RolePermission]
    role_resource = "devices"
    filterset_class = DeviceFilter
    search_fields = ["serial_number", "name", "mac_address"]
    ordering_fields = ["serial_number", "name", "model", "status", "last_seen_at", "created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    query_parameters = {"history": ["kind"]}  # read by the action itself (core.query)

    def get_queryset(self) -> QuerySet[Device]:
        return devices_for(actor_of(self.request))

    def perform_create(self, serializer: s.DeviceSerializer) -> None:  # type: ignore[override]
        device = devices.register_device(
            fields=serializer.validated_data, actor=actor_of(self.request)
        )
        serializer.instance = self.get_queryset().get(pk=device.pk)

    def perform_update(self, serializer: s.DeviceSerializer) -> None:  # type: ignore[override]
        device = devices.update_device(
            device=serializer.instance,  # type: ignore[arg-type]
            changes=serializer.validated_data,
        )
        serializer.instance = self.get_queryset().get(pk=device.pk)

    def perform_destroy(self, instance: Device) -> None:
        devices.delete_device(device=instance)

    def _fresh(self, device: Device, code: int = status.HTTP_200_OK) -> Response:
        serializer = s.DeviceSerializer(
            self.get_queryset().get(pk=device.pk), context=self.get_serializer_context()
        )
        return Response(serializer.data, status=code)

    @extend_schema(
        summary="Change a device's status (an assigned device stays active: 409)",
        request=s.StatusSerializer,
        responses={200: s.DeviceSerializer, **problems(400, 401, 403, 404, 409)},
        examples=[OpenApiExample("Send for repair", value={"status": "maintenance"})],
    )
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str | None = None) -> Response:
        serializer = s.StatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        device = devices.change_status(
            device=self.get_object(),
            status=serializer.validated_data["status"],
            actor=actor_of(request),
        )
        return self._fresh(device)

    @extend_schema(
        summary="Retire a device: kept with its history, its keys revoked (assigned: 409)",
        request=None,
        responses={200: s.DeviceSerializer, **problems(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def retire(self, request: Request, pk: str | None = None) -> Response:
        device = devices.change_status(
            device=self.get_object(), status=DeviceStatus.RETIRED, actor=actor_of(request)
        )
        return self._fresh(device)

    @extend_schema(
        summary="The device's history: status, assignments, keys, settings, OTA (newest first)",
        parameters=[OpenApiParameter("kind", enum=DeviceEventKind.values)],
        responses={200: s.DeviceEventSerializer(many=True), **problems(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request: Request, pk: str | None = None) -> Response:
        events = DeviceEvent.objects.filter(device=self.get_object())
        kind = request.query_params.get("kind")
        if kind is not None:
            if kind not in DeviceEventKind.values:
                raise InvalidInput(f"Unknown event kind {kind[:40]!r}.", field="kind")
            events = events.filter(kind=kind)
        return self._page(events, s.DeviceEventSerializer)

    @extend_schema(
        summary="The device's assignments to patients (newest first)",
        responses={200: s.AssignmentSerializer(many=True), **problems(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def assignments(self, request: Request, pk: str | None = None) -> Response:
        return self._page(
            DeviceAssignment.objects.filter(device=self.get_object()), s.AssignmentSerializer
        )

    def _page(self, queryset: QuerySet[Any], serializer_class: Any) -> Response:
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)
