"""Passwords: Django's validators on every set, change, and reset by link or by code."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from heartmon.accounts import tasks
from heartmon.accounts.models import User
from heartmon.accounts.reset_codes import WrongCodeError, check_code, discard_code
from heartmon.accounts.tokens import password_reset_link
from heartmon.audit.models import AuditAction
from heartmon.audit.services import record_event
from heartmon.core.actor import Actor
from heartmon.core.errors import InvalidInput


def validate_new_password(password: str, user: User, *, field: str = "password") -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise InvalidInput(exc.messages[0], errors={field: list(exc.messages)}) from exc


def revoke_refresh_tokens(user: User) -> None:
    """Sign the user out everywhere: every refresh token they hold is blacklisted."""
    outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )


def _set_password(user: User, password: str, *, field: str) -> None:
    validate_new_password(password, user, field=field)
    user.set_password(password)
    user.save(update_fields=["password"])
    revoke_refresh_tokens(user)


@transaction.atomic
def change_password(*, user: User, old_password: str, new_password: str, actor: Actor) -> None:
    if not user.check_password(old_password):
        raise InvalidInput("The current password is wrong.", field="old_password")
    _set_password(user, new_password, field="new_password")
    record_event(AuditAction.PASSWORD_CHANGED, actor=actor, target=user)


def request_password_reset(*, email: str, actor: Actor) -> None:
    """Mail a link and a code to an active account; say nothing either way (no enumeration)."""
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        return
    record_event(AuditAction.PASSWORD_RESET_REQUESTED, actor=actor.identified_as(user), target=user)
    transaction.on_commit(lambda: tasks.send_password_reset_email.delay(str(user.pk)), robust=True)


@transaction.atomic
def reset_password_with_link(*, uid: str, token: str, new_password: str, actor: Actor) -> None:
    user = password_reset_link.check(uid, token)
    _finish_reset(user, new_password, actor, method="link")


@transaction.atomic
def reset_password_with_code(*, email: str, code: str, new_password: str, actor: Actor) -> None:
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise WrongCodeError("The code is wrong or has expired.")
    validate_new_password(new_password, user, field="new_password")
    check_code(user.pk, code)
    _finish_reset(user, new_password, actor, method="code")


def _finish_reset(user: User, new_password: str, actor: Actor, *, method: str) -> None:
    _set_password(user, new_password, field="new_password")
    discard_code(user.pk)  # the link and the code are one reset: using either spends both
    record_event(
        AuditAction.PASSWORD_RESET,
        actor=actor.identified_as(user),
        target=user,
        details={"method": method},
    )
