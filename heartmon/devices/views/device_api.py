"""What devices themselves call, authenticated by `Authorization: Device <key>`."""

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from heartmon.core.errors import InvalidInput
from heartmon.core.schema import problems
from heartmon.devices import semver
from heartmon.devices import serializers as s
from heartmon.devices.authentication import DeviceAuthentication, DevicePrincipal
from heartmon.devices.models import Device, Firmware
from heartmon.devices.permissions import IsActiveDevice
from heartmon.devices.services import device_settings, firmware


class DeviceAPIView(APIView):
    authentication_classes = [DeviceAuthentication]
    permission_classes = [IsActiveDevice]

    @property
    def device(self) -> Device:
        principal = self.request.user
        assert isinstance(principal, DevicePrincipal)  # noqa: S101 (IsActiveDevice made sure)
        return principal.device


class OwnSettingsView(DeviceAPIView):
    @extend_schema(
        summary="Device: the settings to run with (If-None-Match with the last ETag: 304)",
        parameters=[OpenApiParameter("If-None-Match", str, OpenApiParameter.HEADER)],
        responses={
            200: s.DeviceSettingsSerializer,
            304: OpenApiResponse(description="Not modified: keep the settings you have."),
            **problems(401, 403),
        },
    )
    def get(self, request: Request) -> Response:
        current = device_settings.current_settings(self.device)
        headers = {"ETag": current.etag, "Cache-Control": "no-cache"}
        offered = [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]
        if current.etag in offered or "*" in offered:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers=headers)
        body = s.DeviceSettingsSerializer(current).data
        return Response(body, headers=headers)


class OtaCheckView(DeviceAPIView):
    @extend_schema(
        summary="Device: is there newer firmware for me? (204: up to date; 409: no upgrade path)",
        parameters=[
            OpenApiParameter("current", str, required=True, description="Running version.")
        ],
        responses={
            200: s.OtaUpdateSerializer,
            204: OpenApiResponse(description="Up to date."),
            **problems(400, 401, 403, 404, 409),
        },
    )
    def get(self, request: Request) -> Response:
        try:
            current = semver.Version(request.query_params.get("current", ""))
        except ValueError as exc:
            raise InvalidInput(str(exc), field="current") from exc
        update = firmware.update_for(device=self.device, current=current)
        if update is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        url = reverse("device-ota-download", kwargs={"firmware_id": update.pk})
        body = {
            "version": update.version,
            "size": update.size,
            "sha256": update.sha256,
            "download_url": request.build_absolute_uri(url),
            "release_notes": update.release_notes,
        }
        return Response(s.OtaUpdateSerializer(body).data)


class OtaDownloadView(DeviceAPIView):
    @extend_schema(
        summary="Device: download a firmware image of its model",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(description="The image."),
            **problems(401, 403, 404),
        },
    )
    def get(self, request: Request, firmware_id: str) -> FileResponse:
        device = self.device
        image = get_object_or_404(
            Firmware.objects.filter(organization_id=device.organization_id, model=device.model),
            pk=firmware_id,
        )
        response = FileResponse(
            image.file.open("rb"),
            as_attachment=True,
            filename=f"{image.model}-{image.version}.bin",
            content_type="application/octet-stream",
        )
        response["X-Checksum-SHA256"] = image.sha256
        return response


class OtaReportView(DeviceAPIView):
    @extend_schema(
        summary="Device: report an update's progress or result (shown in its history)",
        request=s.OtaReportSerializer,
        responses={204: None, **problems(400, 401, 403)},
        examples=[
            OpenApiExample("Installed", value={"version": "1.5.0", "status": "succeeded"}),
            OpenApiExample(
                "Failed", value={"version": "1.5.0", "status": "failed", "message": "bad CRC"}
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        serializer = s.OtaReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        firmware.record_ota_report(device=self.device, **serializer.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)
