"""OpenAPI description of the device key authentication."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class DeviceKeyScheme(OpenApiAuthenticationExtension):
    target_class = "heartmon.devices.authentication.DeviceAuthentication"
    name = "deviceKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "Device endpoints only: `Authorization: Device hmd_<prefix>_<secret>`, a key made "
                "by POST /api/v1/devices/{id}/keys/."
            ),
        }
