"""Browser cookie mode: the same sign-in, with the tokens in HttpOnly cookies instead of the body.

Requests authenticated by these cookies must carry the CSRF token on unsafe methods
(see accounts.authentication); refresh and logout here check it too."""

from contextlib import suppress
from typing import Any

from django.conf import settings
from django.middleware.csrf import rotate_token
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings

from heartmon.accounts import serializers as s
from heartmon.accounts.authentication import enforce_csrf
from heartmon.accounts.jwt import EpochRefreshSerializer
from heartmon.accounts.lockout import AxesGate
from heartmon.accounts.services import sessions
from heartmon.accounts.throttles import PER_IP, LoginAccountThrottle, RefreshTokenThrottle
from heartmon.accounts.views.auth import AnonymousView
from heartmon.core.actor import actor_of
from heartmon.core.errors import InvalidInput
from heartmon.core.schema import problems
from heartmon.core.validation import validated

REFRESH_COOKIE_PATH = "/api/v1/auth/cookie/"


def _set_auth_cookies(response: Response, tokens: dict[str, str]) -> None:
    common: dict[str, Any] = {
        "httponly": True,
        "secure": settings.AUTH_COOKIE_SECURE,
        "samesite": "Lax",
    }
    response.set_cookie(
        settings.AUTH_COOKIE_ACCESS,
        tokens["access"],
        path="/",
        max_age=int(jwt_settings.ACCESS_TOKEN_LIFETIME.total_seconds()),
        **common,
    )
    response.set_cookie(
        settings.AUTH_COOKIE_REFRESH,
        tokens["refresh"],
        path=REFRESH_COOKIE_PATH,
        max_age=int(jwt_settings.REFRESH_TOKEN_LIFETIME.total_seconds()),
        **common,
    )


def _clear_auth_cookies(response: Response) -> None:
    response.delete_cookie(settings.AUTH_COOKIE_ACCESS, path="/", samesite="Lax")
    response.delete_cookie(settings.AUTH_COOKIE_REFRESH, path=REFRESH_COOKIE_PATH, samesite="Lax")


class CookieLoginView(AnonymousView):
    throttle_scope = "login_ip"
    throttle_classes = [PER_IP, LoginAccountThrottle]

    @extend_schema(
        summary="Sign in from a browser: tokens are set as HttpOnly cookies",
        description=(
            "Sets `heartmon_access`, `heartmon_refresh` (HttpOnly, SameSite=Lax, Secure unless "
            "DEBUG) and a fresh `csrftoken` cookie, whose value must be sent as `X-CSRFToken` on "
            "every unsafe request authenticated by the cookies."
        ),
        request=s.CredentialsSerializer,
        responses={200: s.ProfileSerializer, **problems(400, 401, 429)},
    )
    def post(self, request: Request) -> Response:
        user = sessions.log_in(
            gate=AxesGate(request._request),
            actor=actor_of(request),
            **validated(s.CredentialsSerializer, request),
        )
        rotate_token(request._request)
        response = Response(s.ProfileSerializer(user).data)
        _set_auth_cookies(response, sessions.issue_tokens(user))
        return response


class CookieRefreshView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_classes = [PER_IP, RefreshTokenThrottle]
    throttle_scope = "token_refresh_ip"

    def get_authenticate_header(self, request: Request) -> str:
        """A missing or dead refresh cookie is a 401 (DRF makes it 403 without this header)."""
        return 'Bearer realm="api"'

    @extend_schema(
        summary="Renew the cookies from the refresh cookie (needs X-CSRFToken)",
        request=None,
        responses={204: None, **problems(401, 403)},
    )
    def post(self, request: Request) -> Response:
        enforce_csrf(request)
        refresh = request.COOKIES.get(settings.AUTH_COOKIE_REFRESH)
        if not refresh:
            raise NotAuthenticated("No refresh cookie: sign in again.")
        serializer = EpochRefreshSerializer(data={"refresh": refresh})
        try:
            serializer.is_valid(raise_exception=True)
        except TokenError as exc:
            raise InvalidToken(str(exc)) from exc
        response = Response(status=status.HTTP_204_NO_CONTENT)
        _set_auth_cookies(response, serializer.validated_data)
        return response


class CookieLogoutView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    @extend_schema(
        summary="Sign out from a browser: blacklist the refresh cookie and clear the cookies",
        request=None,
        responses={204: None, **problems(403)},
    )
    def post(self, request: Request) -> Response:
        enforce_csrf(request)
        refresh = request.COOKIES.get(settings.AUTH_COOKIE_REFRESH)
        if refresh:
            with suppress(InvalidInput):  # expired or revoked already: the cookies go anyway
                sessions.log_out(refresh=refresh, actor=actor_of(request))
        response = Response(status=status.HTTP_204_NO_CONTENT)
        _clear_auth_cookies(response)
        return response
