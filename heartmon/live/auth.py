"""Who is at the other end of a live socket, never from a token in the URL:

- a browser, by the HttpOnly access cookie of cookie mode, from an allowed Origin (a page of
  another site could otherwise open the socket with the user's cookie);
- any client, by a one-time ticket (`POST /api/v1/live/ticket/`, valid LIVE_TICKET_SECONDS, used
  once) sent as the first message, when it has no cookie;
- a device, by its key in `Authorization: Device <key>` (`device_of`).

A session lasts as long as the token it came from; the consumer checks that, and that the
account is still active, every LIVE_AUTH_CHECK_SECONDS."""

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import parse_cookie
from django.utils import timezone
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import AccessToken

from heartmon.accounts.models import User
from heartmon.core.errors import DomainError
from heartmon.devices.authentication import KeyRefused, use_key
from heartmon.devices.models import Device


class NotAuthenticated(DomainError):
    status = 401
    code = "not_authenticated"
    title = "Not authenticated"


class Forbidden(DomainError):
    status = 403
    code = "permission_denied"
    title = "Permission denied"


@dataclass(frozen=True)
class Session:
    user_id: uuid.UUID
    expires_at: datetime  # the token's expiry: the socket closes then

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at


def headers_of(scope: dict[str, Any]) -> dict[str, str]:
    return {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]}


def cookie_session(scope: dict[str, Any]) -> Session | None:
    """The session of the access cookie, None without one; refused from a foreign Origin."""
    headers = headers_of(scope)
    raw = parse_cookie(headers.get("cookie", "")).get(settings.AUTH_COOKIE_ACCESS)
    if not raw:
        return None
    if not origin_allowed(headers.get("origin", ""), headers.get("host", "")):
        raise Forbidden("This origin may not open the live socket with a session cookie.")
    try:
        token = AccessToken(raw)  # type: ignore[arg-type]
    except TokenError as exc:
        raise NotAuthenticated("The session cookie's token is invalid or expired.") from exc
    return _session(token["user_id"], int(token["exp"]))


def origin_allowed(origin: str, host: str) -> bool:
    """Same host as the socket, or one of LIVE_ALLOWED_ORIGINS; a missing Origin is no browser's
    and is refused here (cookies are what browsers send)."""
    if not origin:
        return False
    return urlsplit(origin).netloc == host or origin in settings.LIVE_ALLOWED_ORIGINS


def issue_ticket(*, user: User, token_exp: int | None) -> str:
    """A one-time ticket for `user`; the session it opens ends with the token that asked."""
    ticket = secrets.token_urlsafe(32)
    expires = token_exp or int(timezone.now().timestamp() + _access_seconds())
    lifetime = settings.LIVE_TICKET_SECONDS
    until = timezone.now().timestamp() + lifetime  # the cache's expiry, and ours to check
    value = {"user_id": str(user.pk), "exp": expires, "until": until}
    cache.set(_ticket_key(ticket), value, timeout=lifetime)
    return ticket


def redeem_ticket(ticket: object) -> Session:
    """The session of a ticket, which is then spent; NotAuthenticated when unknown, expired or
    already used (of two sockets racing with one ticket, the one whose delete worked wins)."""
    key = _ticket_key(ticket if isinstance(ticket, str) else "")
    value = cache.get(key)
    if value is None or not cache.delete(key) or value["until"] < timezone.now().timestamp():
        raise NotAuthenticated("The ticket is unknown, expired or already used.")
    return _session(value["user_id"], value["exp"])


def active_user(session: Session) -> User | None:
    return User.objects.filter(pk=session.user_id, is_active=True).first()


def device_of(scope: dict[str, Any]) -> Device:
    """The active device whose key the Authorization header carries."""
    scheme, _, key = headers_of(scope).get("authorization", "").partition(" ")
    if scheme.lower() != "device" or not key:
        raise NotAuthenticated("Send the key as: Authorization: Device <key>.")
    try:
        device = use_key(key.strip()).device
    except KeyRefused as exc:
        raise NotAuthenticated(str(exc)) from exc
    if not device.is_active:
        raise Forbidden("This device is not active.")
    return device


def _session(user_id: str, exp: int) -> Session:
    return Session(uuid.UUID(str(user_id)), datetime.fromtimestamp(exp, tz=UTC))


def _ticket_key(ticket: str) -> str:
    return "live:ticket:" + hashlib.sha256(ticket.encode()).hexdigest()


def _access_seconds() -> float:
    return float(jwt_settings.ACCESS_TOKEN_LIFETIME.total_seconds())
