"""A device's API keys: create (shown once), list, revoke."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.core.actor import actor_of
from heartmon.core.permissions import RolePermission
from heartmon.core.schema import problems
from heartmon.devices import serializers as s
from heartmon.devices.models import DeviceKey
from heartmon.devices.selectors import device_for
from heartmon.devices.services import keys

DEVICE_PK = OpenApiParameter("device_pk", OpenApiTypes.UUID, OpenApiParameter.PATH)


@extend_schema_view(
    list=extend_schema(
        parameters=[DEVICE_PK],
        summary="A device's keys: prefix, name, created, last used, revoked",
        responses={200: s.DeviceKeySerializer(many=True), **problems(401, 403, 404)},
    ),
    destroy=extend_schema(
        parameters=[DEVICE_PK],
        summary="Revoke a key at once (kept, listed as revoked)",
        responses={204: None, **problems(401, 403, 404)},
    ),
)
class DeviceKeyViewSet(
    mixins.ListModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet[DeviceKey]
):
    serializer_class = s.DeviceKeySerializer
    permission_classes = [RolePermission]
    role_resource = "device_keys"
    filter_backends = [OrderingFilter]
    ordering_fields = ["created_at", "last_used_at"]

    def get_queryset(self) -> QuerySet[DeviceKey]:
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return DeviceKey.objects.none()
        return DeviceKey.objects.filter(
            device=device_for(actor_of(self.request), self.kwargs["device_pk"])
        )

    @extend_schema(
        parameters=[DEVICE_PK],
        summary="Create a key for the device: the response is the only time it is shown",
        responses={201: s.NewDeviceKeySerializer, **problems(400, 401, 403, 404)},
        examples=[OpenApiExample("Name it", request_only=True, value={"name": "factory key"})],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        device = device_for(actor_of(request), kwargs["device_pk"])
        serializer = s.DeviceKeySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        row, key = keys.create_key(
            device=device, name=serializer.validated_data.get("name", ""), actor=actor_of(request)
        )
        row.key = key  # type: ignore[attr-defined]
        return Response(s.NewDeviceKeySerializer(row).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: DeviceKey) -> None:
        keys.revoke_key(key=instance, actor=actor_of(self.request))
