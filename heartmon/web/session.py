"""Who is signed in to a page: the same HttpOnly access cookie the REST API reads in cookie mode.

Pages only render a frame; their data comes from the REST API, fetched by the page's script with
the same cookie, so every read is authorized and audited once, by the API."""

from django.conf import settings
from django.http import HttpRequest
from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken

from heartmon.accounts.models import User

_jwt = JWTAuthentication()


def cookie_user(request: HttpRequest) -> User | None:
    """The active user the access cookie names, or None (no cookie, expired, revoked user)."""
    raw = request.COOKIES.get(settings.AUTH_COOKIE_ACCESS)
    if not raw:
        return None
    try:
        user = _jwt.get_user(_jwt.get_validated_token(raw.encode()))
    except (InvalidToken, AuthenticationFailed):
        return None
    return user if isinstance(user, User) else None
