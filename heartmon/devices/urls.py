from django.urls import path
from rest_framework.routers import SimpleRouter

from heartmon.devices.views import device_api, device_settings, firmware
from heartmon.devices.views.devices import DeviceViewSet
from heartmon.devices.views.keys import DeviceKeyViewSet

router = SimpleRouter()
router.register("devices", DeviceViewSet, basename="device")
router.register("firmware", firmware.FirmwareViewSet, basename="firmware")
router.register(r"devices/(?P<device_pk>[^/.]+)/keys", DeviceKeyViewSet, basename="device-key")

urlpatterns = [
    path(
        "devices/<uuid:device_pk>/settings/",
        device_settings.DeviceSettingsView.as_view(),
        name="device-settings",
    ),
    path(
        "devices/<uuid:device_pk>/settings/history/",
        device_settings.DeviceSettingsHistoryView.as_view(),
        name="device-settings-history",
    ),
    path("device/settings/", device_api.OwnSettingsView.as_view(), name="device-own-settings"),
    path("device/ota/", device_api.OtaCheckView.as_view(), name="device-ota"),
    path(
        "device/ota/download/<uuid:firmware_id>/",
        device_api.OtaDownloadView.as_view(),
        name="device-ota-download",
    ),
    path("device/ota/report/", device_api.OtaReportView.as_view(), name="device-ota-report"),
    *router.urls,
]
