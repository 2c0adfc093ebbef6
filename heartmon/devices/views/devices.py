"""Devices as people manage them: CRUD, status, assignment to patients, history."""

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery, UUIDField
from django_filters import rest_framework as filters
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.accounts.permissions import RolePermission
from heartmon.core.errors import InvalidInput
from heartmon.core.schema import problems
from heartmon.devices import serializers as s
from heartmon.devices.models import Device, DeviceAssignment, DeviceEvent, DeviceEventKind
from heartmon.devices.services import devices


def devices_visible_to(user: Any) -> QuerySet[Device]:
    """Devices with `open_patient_id`, the patient of their open assignment, in one query."""
    open_patient = DeviceAssignment.objects.open().filter(device=OuterRef("pk"))
    return Device.objects.visible_to(user).annotate(
        open_patient_id=Subquery(open_patient.values("patient_id")[:1], output_field=UUIDField())
    )


def device_for(request: Request, device_pk: Any) -> Device:
    """The device of a nested URL, or 404 when the user may not see it."""
    return get_object_or_404(devices_visible_to(request.user), pk=device_pk)


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
        summary="Delete a device never used; retire one with history (keys revoked, kept)",
        responses={204: None, **problems(401, 403, 404, 409)},
    ),
)
class DeviceViewSet(viewsets.ModelViewSet[Device]):
    serializer_class = s.DeviceSerializer
    permission_classes = [RolePermission]
    role_resource = "devices"
    role_actions = {"assign": "assign", "unassign": "assign"}
    filterset_class = DeviceFilter
    search_fields = ["serial_number", "name", "mac_address"]
    ordering_fields = ["serial_number", "name", "model", "status", "last_seen_at", "created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Device]:
        return devices_visible_to(self.request.user)

    def perform_create(self, serializer: s.DeviceSerializer) -> None:  # type: ignore[override]
        device = devices.register_device(
            organization=getattr(self.request.user, "organization", None),
            fields=serializer.validated_data,
        )
        serializer.instance = self.get_queryset().get(pk=device.pk)

    def perform_update(self, serializer: s.DeviceSerializer) -> None:  # type: ignore[override]
        device = devices.update_device(
            device=serializer.instance,  # type: ignore[arg-type]
            changes=serializer.validated_data,
        )
        serializer.instance = self.get_queryset().get(pk=device.pk)

    def perform_destroy(self, instance: Device) -> None:
        devices.remove_device(device=instance, actor=self.request.user)

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
            device=self.get_object(), status=serializer.validated_data["status"], actor=request.user
        )
        return self._fresh(device)

    @extend_schema(
        summary="Attach an active device to a patient outside an admission",
        request=s.AssignSerializer,
        responses={201: s.AssignmentSerializer, **problems(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample("Assign", value={"patient": "3f0c1c1e-8a5e-4d7e-9a55-2f1b6f0f1c2d"})
        ],
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: str | None = None) -> Response:
        device = self.get_object()
        serializer = s.AssignSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        assignment = devices.assign_to_patient(
            device=device, patient=serializer.validated_data["patient"], request=request
        )
        return Response(s.AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="End the device's open assignment",
        request=None,
        responses={200: s.AssignmentSerializer, **problems(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def unassign(self, request: Request, pk: str | None = None) -> Response:
        assignment = devices.unassign(device=self.get_object(), request=request)
        return Response(s.AssignmentSerializer(assignment).data)

    @extend_schema(
        summary="The device's history: status, assignments, keys, settings, OTA (newest first)",
        parameters=[OpenApiParameter("kind", enum=DeviceEventKind.values)],
        responses={200: s.DeviceEventSerializer(many=True), **problems(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def history(self, request: Request, pk: str | None = None) -> Response:
        events = DeviceEvent.objects.filter(device=device_for(request, pk))
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
