"""A device attached to a patient outside an admission, and detached (staff, technicians and
admins), under the device's URL."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.clinic import serializers as s
from heartmon.clinic.services import assignments
from heartmon.core.actor import actor_of
from heartmon.core.permissions import RolePermission
from heartmon.core.schema import problems
from heartmon.core.validation import validated
from heartmon.devices.models import Device
from heartmon.devices.selectors import devices_for
from heartmon.devices.serializers import AssignmentSerializer


class DeviceAssignmentViewSet(viewsets.GenericViewSet[Device]):
    permission_classes = [RolePermission]
    role_resource = "devices"
    role_actions = {"assign": "assign", "unassign": "assign"}

    def get_serializer_class(self) -> Any:
        return s.AssignSerializer  # what OPTIONS describes

    def get_queryset(self) -> QuerySet[Device]:
        return devices_for(actor_of(self.request))

    @extend_schema(
        summary="Attach an active device to a patient outside an admission",
        request=s.AssignSerializer,
        responses={201: AssignmentSerializer, **problems(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample("Assign", value={"patient": "3f0c1c1e-8a5e-4d7e-9a55-2f1b6f0f1c2d"})
        ],
    )
    @action(detail=True, methods=["post"])
    def assign(self, request: Request, pk: Any = None) -> Response:
        device, data = self.get_object(), validated(s.AssignSerializer, request)
        assignment = assignments.assign_to_patient(
            device=device, patient=data["patient"], actor=actor_of(request)
        )
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="End the device's open assignment",
        request=None,
        responses={200: AssignmentSerializer, **problems(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def unassign(self, request: Request, pk: Any = None) -> Response:
        assignment = assignments.unassign(device=self.get_object(), actor=actor_of(request))
        return Response(AssignmentSerializer(assignment).data)
