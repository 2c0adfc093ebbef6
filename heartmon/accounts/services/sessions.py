"""Signing in and out: credentials (+ TOTP when enabled), lockout, JWT pairs, revocation."""

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in, user_login_failed
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import RefreshToken

from heartmon.accounts.models import User
from heartmon.audit.models import AuditAction
from heartmon.audit.services import record_event
from heartmon.core.errors import DomainError, InvalidInput


class LoginFailedError(DomainError):
    status = 401
    code = "authentication_failed"
    title = "Sign-in failed"


class AccountLockedError(DomainError):
    status = 429
    code = "account_locked"
    title = "Account locked"

    def __init__(self) -> None:
        minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
        super().__init__(
            f"Too many failed sign-ins: this account is locked for {minutes} minutes. "
            "Try again later or reset the password."
        )
        self.retry_after = int(settings.AXES_COOLOFF_TIME.total_seconds())


class TwoFactorRequiredError(LoginFailedError):
    code = "otp_required"
    title = "Two-factor code required"


class TwoFactorInvalidError(LoginFailedError):
    code = "otp_invalid"
    title = "Wrong two-factor code"


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _locked(request: Any, email: str) -> AccountLockedError:
    known = User.objects.filter(email=email).first()
    record_event(AuditAction.ACCOUNT_LOCKED, request=request, actor=known, target=known)
    return AccountLockedError()


def _fail(request: Any, email: str, user: User, error: LoginFailedError) -> DomainError:
    """Count a wrong second factor toward the lockout (axes listens to user_login_failed) and
    audit it; the failure that reaches the limit answers as the lock it causes."""
    user_login_failed.send(sender=__name__, credentials={"email": email}, request=request)
    record_event(
        AuditAction.LOGIN_FAILED,
        request=request,
        actor=user,
        target=user,
        details={"reason": error.code},
    )
    return _locked(request, email) if getattr(request, "axes_locked_out", False) else error


def log_in(*, request: Any, email: str, password: str, otp: str | None = None) -> User:
    """The user these credentials (and second factor) belong to; raises a clear error otherwise.

    `request` is Django's HttpRequest: axes reads and marks it."""
    email = email.strip().lower()
    user = authenticate(request, email=email, password=password)
    if getattr(request, "axes_locked_out", False):
        raise _locked(request, email)
    if user is None:
        # authenticate() already signalled the failure to axes.
        known = User.objects.filter(email=email).first()
        record_event(
            AuditAction.LOGIN_FAILED,
            request=request,
            actor=known,
            target=known,
            details={"reason": "bad_credentials"},
        )
        raise LoginFailedError(
            "No active account has these credentials. Check the e-mail address and password; "
            "a new account must first be activated from the link in its e-mail."
        )
    device = confirmed_totp_device(user)
    if device is not None:
        if not otp:
            raise _fail(
                request,
                email,
                user,
                TwoFactorRequiredError(
                    "This account has two-factor sign-in: send the 6-digit code as `otp`."
                ),
            )
        if not device.verify_token(otp):
            raise _fail(
                request,
                email,
                user,
                TwoFactorInvalidError("The two-factor code is wrong or has expired."),
            )
    # Tells axes the sign-in succeeded, so earlier failures are forgiven (AXES_RESET_ON_SUCCESS).
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    record_event(AuditAction.LOGIN, request=request, actor=user, target=user)
    return user


def issue_tokens(user: User) -> dict[str, str]:
    refresh = RefreshToken.for_user(user)
    if settings.SIMPLE_JWT["UPDATE_LAST_LOGIN"]:
        User.objects.filter(pk=user.pk).update(last_login=refresh.current_time)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


@transaction.atomic
def log_out(*, refresh: str, request: Any, user: User | None = None) -> None:
    """Blacklist a refresh token; with `user`, only one of theirs."""
    try:
        token = RefreshToken(refresh)  # type: ignore[arg-type]
    except TokenError as exc:
        raise InvalidInput(
            "The refresh token is invalid, expired or already revoked.", field="refresh"
        ) from exc
    owner_id = str(token.get(jwt_settings.USER_ID_CLAIM))
    if user is not None and owner_id != str(user.pk):
        raise InvalidInput("This refresh token belongs to another account.", field="refresh")
    token.blacklist()
    owner = User.objects.filter(pk=owner_id).first()
    record_event(AuditAction.LOGOUT, request=request, actor=owner, target=owner)
