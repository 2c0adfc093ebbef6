"""OpenAPI description of the Bearer and browser cookie authentications."""

from typing import Any

from django.conf import settings
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class BearerJWTScheme(SimpleJWTScheme):
    target_class = "heartmon.accounts.authentication.BearerJWTAuthentication"


class CookieJWTScheme(OpenApiAuthenticationExtension):
    target_class = "heartmon.accounts.authentication.CookieJWTAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.AUTH_COOKIE_ACCESS,
            "description": "Set by /api/v1/auth/cookie/login/; unsafe methods need X-CSRFToken.",
        }
