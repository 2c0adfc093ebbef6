"""The e-mails accounts send, rendered and put in the outbox inside the caller's transaction;
the outbox's worker delivers them with retries. Subjects never name a patient."""

from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.timesince import timeuntil

from heartmon.accounts.models import User
from heartmon.accounts.reset_codes import issue_code
from heartmon.accounts.tokens import activation_link, invitation_link, password_reset_link
from heartmon.core.roles import Role
from heartmon.outbox.services import enqueue_email


def _valid_for(seconds: int) -> str:
    now = timezone.now()
    return timeuntil(now + timedelta(seconds=seconds), now)


def _send(to: str, subject: str, template: str, **context: object) -> None:
    user = context.get("user")
    body = render_to_string(f"accounts/email/{template}.txt", context)
    enqueue_email(
        to=to,
        subject=f"[heartmon] {subject}",
        body=body,
        organization_id=user.organization_id if isinstance(user, User) else None,
    )


def send_activation(user: User) -> None:
    _send(
        user.email,
        "Activate your account",
        "activation",
        user=user,
        link=activation_link.url("activate", user),
        valid_for=_valid_for(settings.ACTIVATION_TIMEOUT),
    )


def send_already_active(user: User, *, asked: str) -> None:
    """Someone asked for what an active account does not need (`asked`: what they asked for)."""
    _send(
        user.email,
        "Your account",
        "already_active",
        user=user,
        asked=asked,
        reset_url=f"{settings.PUBLIC_URL}/reset-password",
    )


def send_account_inactive(user: User, *, asked: str) -> None:
    _send(user.email, "Your account", "account_inactive", user=user, asked=asked)


def send_no_account(email: str, *, asked: str) -> None:
    _send(email, "Your request", "no_account", asked=asked)


def send_invitation(user: User, *, inviter: str) -> None:
    _send(
        user.email,
        "You are invited",
        "invitation",
        user=user,
        link=invitation_link.url("accept-invite", user),
        inviter=inviter,
        role=Role(user.role).label.lower(),
        valid_for=_valid_for(settings.INVITATION_TIMEOUT),
    )


def send_invited_elsewhere(user: User, *, inviter: str, organization: str) -> None:
    """An invitation to an address that already has an account: its owner hears of it, the
    inviter learns nothing."""
    _send(
        user.email,
        "An invitation",
        "invited_elsewhere",
        user=user,
        inviter=inviter,
        organization=organization,
    )


def send_password_reset(user: User) -> None:
    """A link and a 6-digit code (see reset_codes)."""
    _send(
        user.email,
        "Reset your password",
        "password_reset",
        user=user,
        link=password_reset_link.url("reset-password", user),
        code=issue_code(user.pk),
        valid_for=_valid_for(settings.PASSWORD_RESET_TIMEOUT),
    )


def send_account_state(user: User, *, asked: str) -> None:
    """The answer to a request an account in its state cannot use: a new activation link when it
    awaits one, else a word on why nothing was done."""
    if user.awaits_activation:
        send_activation(user)
    elif user.is_active:
        send_already_active(user, asked=asked)
    else:
        send_account_inactive(user, asked=asked)
