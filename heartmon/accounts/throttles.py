import hashlib
from typing import Any

from rest_framework.throttling import ScopedRateThrottle, SimpleRateThrottle


class LoginAccountThrottle(SimpleRateThrottle):
    """Sign-in attempts per account (the e-mail in the body), whichever address they come from.

    The throttle runs before validation, so the address is hashed: whatever a client sends makes
    a short cache key without spaces or control characters."""

    scope = "login_account"

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        email = request.data.get("email") if isinstance(request.data, dict) else None
        if not isinstance(email, str) or not email.strip():
            return None
        ident = hashlib.sha256(email.strip().lower().encode()).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": ident}


PER_IP = ScopedRateThrottle
