"""The firmware catalog, as technicians manage it."""

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.core.actor import actor_of
from heartmon.core.permissions import RolePermission
from heartmon.core.schema import problems
from heartmon.devices import serializers as s
from heartmon.devices.models import Firmware
from heartmon.devices.services import firmware


@extend_schema_view(
    list=extend_schema(
        summary="Your organization's firmware catalog",
        responses={200: s.FirmwareSerializer(many=True), **problems(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="One firmware image",
        responses={200: s.FirmwareSerializer, **problems(401, 403, 404)},
    ),
    destroy=extend_schema(
        summary="Remove a firmware image from the catalog (the file is deleted)",
        responses={204: None, **problems(401, 403, 404)},
    ),
)
class FirmwareViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Firmware],
):
    serializer_class = s.FirmwareSerializer
    permission_classes = [RolePermission]
    role_resource = "firmware"
    parser_classes = [parsers.MultiPartParser, parsers.FormParser]
    filterset_fields = ["model", "version"]
    search_fields = ["model", "version", "release_notes"]
    ordering_fields = ["model", "created_at"]

    def get_queryset(self) -> QuerySet[Firmware]:
        return Firmware.objects.visible_to(actor_of(self.request))

    @extend_schema(
        summary="Upload firmware (multipart): the server computes size and SHA-256",
        request={"multipart/form-data": s.FirmwareSerializer},
        responses={201: s.FirmwareSerializer, **problems(400, 401, 403, 409, 413)},
        examples=[
            OpenApiExample(
                "HM-3L 1.5.0",
                request_only=True,
                value={
                    "model": "HM-3L",
                    "version": "1.5.0",
                    "min_version": "1.2.0",
                    "release_notes": "Faster lead-off detection.",
                    "file": "(binary)",
                },
            )
        ],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        firmware.refuse_if_too_large(int(request.META.get("CONTENT_LENGTH") or 0) - 64 * 1024)
        serializer = s.FirmwareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        image = firmware.add_firmware(
            model=data["model"],
            version=data["version"],
            file=data["file"],
            release_notes=data.get("release_notes", ""),
            min_version=data.get("min_version", ""),
            sha256=data.get("sha256"),
            actor=actor_of(request),
        )
        return Response(s.FirmwareSerializer(image).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Firmware) -> None:
        firmware.delete_firmware(firmware=cast(Firmware, instance))
