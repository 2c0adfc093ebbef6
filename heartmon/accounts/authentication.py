"""Bearer and browser cookie mode. In cookie mode the JWT travels in an HttpOnly cookie and unsafe
methods must pass Django's CSRF check (the Bearer header, which a browser never sends by itself,
needs none). Both refuse a token of an earlier token epoch (accounts.jwt)."""

from typing import Any, cast

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework_simplejwt.authentication import JWTAuthentication

from heartmon.accounts.jwt import check_epoch
from heartmon.accounts.models import User


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request: Any, reason: str) -> Any:
        return reason


class CsrfFailed(exceptions.PermissionDenied):
    """The same problem type as a CSRF failure Django's middleware answers (core.errors)."""

    default_code = "csrf_failed"


def enforce_csrf(request: Request) -> None:
    check = _CsrfCheck(lambda req: None)  # type: ignore[arg-type]
    check.process_request(request)
    reason = check.process_view(request, None, (), {})  # type: ignore[arg-type]
    if reason:
        raise CsrfFailed(
            f"CSRF check failed ({reason}): send the csrftoken cookie's value in X-CSRFToken."
        )


class BearerJWTAuthentication(JWTAuthentication):
    def get_user(self, validated_token: Any) -> Any:
        user = cast(User, super().get_user(validated_token))
        check_epoch(validated_token, user)
        return user


class CookieJWTAuthentication(BearerJWTAuthentication):
    def authenticate(self, request: Request) -> Any:
        raw_token = request.COOKIES.get(settings.AUTH_COOKIE_ACCESS)
        if not raw_token:
            return None
        validated = self.get_validated_token(raw_token.encode())
        user = self.get_user(validated)
        enforce_csrf(request)
        return user, validated

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


def signed_in_user(request: Request) -> User:
    """The authenticated user of a view that requires authentication."""
    return cast(User, request.user)
