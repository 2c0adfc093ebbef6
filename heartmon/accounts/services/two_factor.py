"""Optional TOTP two-factor sign-in (django-otp): set up, confirm, disable, each with a code."""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from heartmon.accounts.models import User
from heartmon.accounts.services.sessions import confirmed_totp_device
from heartmon.audit.models import AuditAction
from heartmon.audit.services import record_event
from heartmon.core.actor import Actor
from heartmon.core.errors import Conflict, InvalidInput


@transaction.atomic
def start_totp_setup(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator; its `config_url` is the otpauth:// URI for the app."""
    if confirmed_totp_device(user) is not None:
        raise Conflict("Two-factor sign-in is already on: disable it first to set up a new app.")
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="authenticator app", confirmed=False)


def _check_code(device: TOTPDevice, code: str) -> None:
    """Outside any transaction: django-otp saves its failure throttle and replay guard on the
    device, and a rollback would forget them."""
    if not device.verify_token(code):
        raise InvalidInput("The code is wrong: check the app's clock and try again.", field="code")


def confirm_totp(*, user: User, code: str, actor: Actor) -> None:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise Conflict("No two-factor set-up is in progress: start one first.")
    _check_code(device, code)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record_event(AuditAction.TWO_FACTOR_ENABLED, actor=actor, target=user)


def disable_totp(*, user: User, code: str, actor: Actor) -> None:
    device = confirmed_totp_device(user)
    if device is None:
        raise Conflict("Two-factor sign-in is not on.")
    _check_code(device, code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        record_event(AuditAction.TWO_FACTOR_DISABLED, actor=actor, target=user)
