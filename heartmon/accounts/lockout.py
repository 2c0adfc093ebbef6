"""The request-bound part of signing in. django-axes counts failures and locks accounts by reading
and marking Django's HttpRequest, so the sign-in views wrap the request in an `AxesGate` and the
sign-in service talks to the gate, never to the request.

A lock holds an account *from one source* (AXES_LOCKOUT_PARAMETERS: account and IP together): the
attacker's address is shut out while the owner, from anywhere else, still signs in; the
per-account throttle bounds an attacker who spreads over many addresses. Attempts during a lock
are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT off), so they cannot extend it."""

import math

from axes.models import AccessAttempt
from axes.utils import reset as reset_attempts
from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in, user_login_failed
from django.http import HttpRequest
from django.utils import timezone

from heartmon.accounts.models import User


class AxesGate:
    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    def authenticate(self, email: str, password: str) -> User | None:
        """The active user these credentials belong to; axes counts a failure by itself."""
        user = authenticate(self._request, email=email, password=password)
        return user if isinstance(user, User) else None

    @property
    def locked(self) -> bool:
        return bool(getattr(self._request, "axes_locked_out", False))

    def seconds_left(self, email: str) -> int:
        """How long the lock on this account from this address still holds."""
        last = (
            AccessAttempt.objects.filter(
                username=email, ip_address=getattr(self._request, "axes_ip_address", None)
            )
            .order_by("-attempt_time")
            .values_list("attempt_time", flat=True)
            .first()
        )
        ends = (last or timezone.now()) + settings.AXES_COOLOFF_TIME
        return max(1, math.ceil((ends - timezone.now()).total_seconds()))

    def count_failure(self, email: str) -> None:
        """A failure axes cannot see by itself (a wrong second factor)."""
        user_login_failed.send(sender=__name__, credentials={"email": email}, request=self._request)

    def forgive(self, user: User) -> None:
        """The sign-in succeeded: earlier failures are forgiven (AXES_RESET_ON_SUCCESS)."""
        user_logged_in.send(sender=user.__class__, request=self._request, user=user)


def unlock(user: User) -> int:
    """Forget the account's failed sign-ins from every source: any lock on it lifts."""
    return reset_attempts(username=user.email)
