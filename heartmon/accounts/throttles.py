"""The throttles of the anonymous endpoints, each in its own bucket, and what each does when the
cache behind it (Redis) is unreachable: never a 500.

- Sign-in (per IP, per account) and token refresh (per token, and a generous per IP) fail
  *open*: the account lockout lives in the database and still bounds password guessing, and a
  signed refresh token cannot be guessed; clinicians keep signing in through a Redis outage.
- Endpoints that send e-mail to a stranger (register, password reset, new activation link) and
  attempts at links and codes fail *closed* (503 `service-unavailable` with Retry-After): without
  their limits they would be a mail cannon and a code-guessing oracle.
"""

import hashlib
import logging
from typing import Any

from django.conf import settings
from redis.exceptions import RedisError
from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle

from heartmon.core.errors import ServiceUnavailable

logger = logging.getLogger(__name__)

CACHE_ERRORS = (RedisError, OSError)


class GuardedThrottle(SimpleRateThrottle):
    """A throttle that decides what an unreachable cache means (`fails_open`)."""

    fails_open = False

    def allow_request(self, request: Any, view: Any) -> bool:
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS as exc:
            logger.warning(
                "Throttle %s: the cache is unreachable (%s); failing %s",
                self.scope,
                type(exc).__name__,
                "open" if self.fails_open else "closed",
            )
            if self.fails_open:
                return True
            raise ServiceUnavailable(
                "The service that limits this request is unavailable: try again shortly."
            ) from exc


def _hashed(value: object) -> str | None:
    """A short, safe cache key part for whatever a client sent (it is not validated yet)."""
    if not isinstance(value, str) or not value.strip():
        return None
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()


class PerIpThrottle(GuardedThrottle, ScopedRateThrottle):
    """The view's `throttle_scope`, per client IP; fails closed unless the scope is listed."""

    OPEN_SCOPES = frozenset({"login_ip", "token_refresh_ip"})

    def allow_request(self, request: Any, view: Any) -> bool:
        self.fails_open = getattr(view, "throttle_scope", None) in self.OPEN_SCOPES
        return super().allow_request(request, view)


class _BodyFieldThrottle(GuardedThrottle):
    field = "email"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        data = request.data if isinstance(request.data, dict) else {}
        ident = _hashed(data.get(self.field))
        return None if ident is None else self.cache_format % {"scope": self.scope, "ident": ident}


class LoginAccountThrottle(_BodyFieldThrottle):
    """Sign-in attempts per account (the e-mail in the body), whichever address they come from."""

    scope = "login_account"
    fails_open = True


class MailAddressThrottle(_BodyFieldThrottle):
    """Mails asked for one address, from whichever client IPs: no inbox gets flooded."""

    scope = "mail_address"


class RefreshTokenThrottle(GuardedThrottle):
    """Refreshes per refresh token (from the body, or the cookie in browser mode): a rotated
    token is used once, so this bucket is the client's own and no neighbour behind the same NAT
    shares it."""

    scope = "token_refresh"
    fails_open = True

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        data = request.data if isinstance(request.data, dict) else {}
        token = data.get("refresh") or request.COOKIES.get(settings.AUTH_COOKIE_REFRESH)
        ident = _hashed(token)
        return None if ident is None else self.cache_format % {"scope": self.scope, "ident": ident}


PER_IP = PerIpThrottle
