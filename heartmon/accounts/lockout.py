"""The request-bound part of signing in. django-axes counts failures and locks accounts by reading
and marking Django's HttpRequest, so the sign-in views wrap the request in an `AxesGate` and the
sign-in service talks to the gate, never to the request."""

from django.contrib.auth import authenticate, user_logged_in, user_login_failed
from django.http import HttpRequest

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

    def count_failure(self, email: str) -> None:
        """A failure axes cannot see by itself (a wrong second factor)."""
        user_login_failed.send(sender=__name__, credentials={"email": email}, request=self._request)

    def forgive(self, user: User) -> None:
        """The sign-in succeeded: earlier failures are forgiven (AXES_RESET_ON_SUCCESS)."""
        user_logged_in.send(sender=user.__class__, request=self._request, user=user)
