"""The e-mails accounts send. Each takes an id, loads, renders and sends (a Celery task), so
links and codes are made when the mail goes out and no secret waits in a queue."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.timesince import timeuntil

from heartmon.accounts.models import User
from heartmon.accounts.reset_codes import issue_code
from heartmon.accounts.tokens import activation_link, invitation_link, password_reset_link
from heartmon.core.roles import Role

# Mail servers have bad minutes: retry with backoff rather than lose the message.
mail_task = shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)


def _valid_for(seconds: int) -> str:
    now = timezone.now()
    return timeuntil(now + timedelta(seconds=seconds), now)


def _send(user: User, subject: str, template: str, **context: object) -> None:
    body = render_to_string(f"accounts/email/{template}.txt", {"user": user, **context})
    send_mail(f"[heartmon] {subject}", body, settings.DEFAULT_FROM_EMAIL, [user.email])


@mail_task
def send_activation_email(user_id: str) -> None:
    user = User.objects.select_related("organization").get(pk=user_id)
    link = activation_link.url("activate", user)
    _send(
        user,
        "Activate your account",
        "activation",
        link=link,
        valid_for=_valid_for(settings.ACTIVATION_TIMEOUT),
    )


@mail_task
def send_already_registered_email(user_id: str) -> None:
    user = User.objects.get(pk=user_id)
    _send(
        user,
        "Sign-up attempt",
        "already_registered",
        reset_url=f"{settings.PUBLIC_URL}/reset-password",
    )


@mail_task
def send_invitation_email(user_id: str, inviter_name: str) -> None:
    user = User.objects.select_related("organization").get(pk=user_id)
    link = invitation_link.url("accept-invite", user)
    _send(
        user,
        "You are invited",
        "invitation",
        link=link,
        inviter=inviter_name,
        role=Role(user.role).label.lower(),
        valid_for=_valid_for(settings.INVITATION_TIMEOUT),
    )


@mail_task
def send_password_reset_email(user_id: str) -> None:
    """A link and a 6-digit code (see reset_codes)."""
    user = User.objects.get(pk=user_id)
    code = issue_code(user.pk)
    link = password_reset_link.url("reset-password", user)
    _send(
        user,
        "Reset your password",
        "password_reset",
        link=link,
        code=code,
        valid_for=_valid_for(settings.PASSWORD_RESET_TIMEOUT),
    )
