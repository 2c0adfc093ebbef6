"""Passwords: Django's validators on every set, change, and reset by link or by code."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken

from heartmon.accounts import emails, lockout
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


def sign_out_everywhere(user: User) -> None:
    """Every token issued so far dies: the user's token epoch moves on (access tokens of an
    earlier one are refused) and every refresh token they hold is blacklisted."""
    user.token_epoch += 1
    User.objects.filter(pk=user.pk).update(token_epoch=user.token_epoch)
    outstanding = OutstandingToken.objects.filter(user=user).exclude(blacklistedtoken__isnull=False)
    BlacklistedToken.objects.bulk_create(
        [BlacklistedToken(token=token) for token in outstanding], ignore_conflicts=True
    )


def _set_password(user: User, password: str, *, field: str) -> None:
    validate_new_password(password, user, field=field)
    user.set_password(password)
    user.save(update_fields=["password"])
    sign_out_everywhere(user)


@transaction.atomic
def change_password(*, user: User, old_password: str, new_password: str, actor: Actor) -> None:
    if not user.check_password(old_password):
        raise InvalidInput("The current password is wrong.", field="old_password")
    _set_password(user, new_password, field="new_password")
    record_event(AuditAction.PASSWORD_CHANGED, actor=actor, target=user)


@transaction.atomic
def request_password_reset(*, email: str, actor: Actor) -> None:
    """One e-mail whatever the address (the same answer and work for every address): a link and
    a code to an active account, a new activation link to one that awaits it, else a word on
    why nothing can be reset."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    record_event(AuditAction.PASSWORD_RESET_REQUESTED, actor=actor.identified_as(user), target=user)
    if user is None:
        emails.send_no_account(email.strip().lower(), asked="to reset a password")
    elif user.is_active:
        emails.send_password_reset(user)
    else:
        emails.send_account_state(user, asked="to reset a password")


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
    lockout.unlock(user)  # whoever locked the account out, its owner has proved who they are
    record_event(
        AuditAction.PASSWORD_RESET,
        actor=actor.identified_as(user),
        target=user,
        details={"method": method},
    )
