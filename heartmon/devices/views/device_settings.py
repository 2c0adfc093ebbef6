"""A device's settings as people see and change them."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from heartmon.core.actor import actor_of
from heartmon.core.permissions import RolePermission
from heartmon.core.schema import problems
from heartmon.devices import serializers as s
from heartmon.devices import settings_schema
from heartmon.devices.models import DeviceSettings
from heartmon.devices.selectors import device_for
from heartmon.devices.services import device_settings


class DeviceSettingsView(APIView):
    permission_classes = [RolePermission]
    role_resource = "device_settings"

    @extend_schema(
        summary="The settings in force (version 0: the defaults, never saved)",
        responses={200: s.SettingsSerializer, **problems(401, 403, 404)},
    )
    def get(self, request: Request, device_pk: str) -> Response:
        current = device_settings.current_settings(device_for(actor_of(request), device_pk))
        return Response(s.SettingsSerializer(current).data, headers={"ETag": current.etag})

    @extend_schema(
        summary="Save new settings: a new version, fetched by the device on its next poll",
        request=s.SettingsSerializer,
        responses={200: s.SettingsSerializer, **problems(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Three leads at 500 Hz",
                request_only=True,
                value={"document": {**settings_schema.defaults(3), "sampling_rate_hz": 500}},
            )
        ],
    )
    def put(self, request: Request, device_pk: str) -> Response:
        device = device_for(actor_of(request), device_pk)
        serializer = s.SettingsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = device_settings.save_settings(
            device=device, document=serializer.validated_data["document"], actor=actor_of(request)
        )
        return Response(s.SettingsSerializer(saved).data, headers={"ETag": saved.etag})


class DeviceSettingsHistoryView(GenericAPIView[DeviceSettings]):
    serializer_class = s.SettingsVersionSerializer
    permission_classes = [RolePermission]
    role_resource = "device_settings"
    filter_backends: list[type] = []

    @extend_schema(
        summary="Every saved version of a device's settings (newest first)",
        responses={200: s.SettingsVersionSerializer(many=True), **problems(401, 403, 404)},
    )
    def get(self, request: Request, device_pk: str) -> Response:
        versions = DeviceSettings.objects.filter(device=device_for(actor_of(request), device_pk))
        page = self.paginate_queryset(versions)
        return self.get_paginated_response(s.SettingsVersionSerializer(page, many=True).data)
