"""Signing in and out: credentials (+ TOTP when enabled), lockout, JWT pairs, revocation."""

import math
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.tokens import RefreshToken

from heartmon.accounts.jwt import EpochRefreshToken
from heartmon.accounts.models import User
from heartmon.audit.models import AuditAction
from heartmon.audit.services import record_event
from heartmon.core.actor import Actor
from heartmon.core.errors import DomainError, InvalidInput


class LoginFailedError(DomainError):
    status = 401
    code = "authentication_failed"
    title = "Sign-in failed"


class AccountLockedError(DomainError):
    status = 429
    code = "account_locked"
    title = "Account locked"

    def __init__(self, seconds_left: int) -> None:
        minutes = math.ceil(seconds_left / 60)
        super().__init__(
            f"Too many failed sign-ins from this address: this account is locked here for "
            f"{minutes} more minute{'s' if minutes != 1 else ''}. Try again later, reset the "
            "password, or ask an admin to unlock it."
        )
        self.retry_after = seconds_left


class TwoFactorRequiredError(LoginFailedError):
    code = "otp_required"
    title = "Two-factor code required"


class TwoFactorInvalidError(LoginFailedError):
    code = "otp_invalid"
    title = "Wrong two-factor code"


def confirmed_totp_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


class SignInGate(Protocol):
    """Counts failures and locks accounts (see accounts.lockout.AxesGate)."""

    def authenticate(self, email: str, password: str) -> User | None: ...

    @property
    def locked(self) -> bool: ...

    def seconds_left(self, email: str) -> int: ...

    def count_failure(self, email: str) -> None: ...

    def forgive(self, user: User) -> None: ...


def _locked(gate: SignInGate, actor: Actor, email: str) -> AccountLockedError:
    known = User.objects.filter(email=email).first()
    record_event(AuditAction.ACCOUNT_LOCKED, actor=actor.identified_as(known), target=known)
    return AccountLockedError(gate.seconds_left(email))


def _fail(gate: SignInGate, actor: Actor, user: User, error: LoginFailedError) -> DomainError:
    """Count a wrong second factor toward the lockout and audit it; the failure that reaches the
    limit answers as the lock it causes."""
    gate.count_failure(user.email)
    by = actor.identified_as(user)
    record_event(AuditAction.LOGIN_FAILED, actor=by, target=user, details={"reason": error.code})
    return _locked(gate, actor, user.email) if gate.locked else error


def log_in(
    *, email: str, password: str, otp: str | None = None, gate: SignInGate, actor: Actor
) -> User:
    """The user these credentials (and second factor) belong to; raises a clear error otherwise."""
    email = email.strip().lower()
    user = gate.authenticate(email, password)
    if gate.locked:
        raise _locked(gate, actor, email)
    if user is None:  # the gate has counted the failure
        known = User.objects.filter(email=email).first()
        record_event(
            AuditAction.LOGIN_FAILED,
            actor=actor.identified_as(known),
            target=known,
            details={"reason": "bad_credentials"},
        )
        raise LoginFailedError(
            "No active account has these credentials. Check the e-mail address and password; "
            "a new account must first be activated from the link in its e-mail."
        )
    _check_second_factor(user, otp, gate=gate, actor=actor)
    gate.forgive(user)
    record_event(AuditAction.LOGIN, actor=actor.identified_as(user), target=user)
    return user


def _check_second_factor(user: User, otp: str | None, *, gate: SignInGate, actor: Actor) -> None:
    device = confirmed_totp_device(user)
    if device is None:
        return
    if not otp:
        raise _fail(
            gate,
            actor,
            user,
            TwoFactorRequiredError(
                "This account has two-factor sign-in: send the 6-digit code as `otp`."
            ),
        )
    if not device.verify_token(otp):
        raise _fail(
            gate, actor, user, TwoFactorInvalidError("The two-factor code is wrong or has expired.")
        )


def issue_tokens(user: User) -> dict[str, str]:
    refresh = EpochRefreshToken.for_user(user)
    if settings.SIMPLE_JWT["UPDATE_LAST_LOGIN"]:
        User.objects.filter(pk=user.pk).update(last_login=refresh.current_time)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


@transaction.atomic
def log_out(*, refresh: str, actor: Actor) -> None:
    """Blacklist a refresh token; a signed-in person only one of theirs."""
    try:
        token = RefreshToken(refresh)  # type: ignore[arg-type]
    except TokenError as exc:
        raise InvalidInput(
            "The refresh token is invalid, expired or already revoked.", field="refresh"
        ) from exc
    owner_id = str(token.get(jwt_settings.USER_ID_CLAIM))
    if actor.is_person and owner_id != str(actor.user_id):
        raise InvalidInput("This refresh token belongs to another account.", field="refresh")
    token.blacklist()
    owner = User.objects.filter(pk=owner_id).first()
    record_event(AuditAction.LOGOUT, actor=actor.identified_as(owner), target=owner)
