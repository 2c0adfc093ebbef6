"""One-time links (activation, invitation, password reset): `uid` + a signed, timestamped token.

The token signs a hash of the account state the link is meant to change, so a link dies once
used (activating, setting a password) and can tell "expired" from "already used" from "invalid".
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from heartmon.accounts.models import User
from heartmon.core.errors import DomainError


class InvalidLinkError(DomainError):
    code = "link_invalid"
    title = "Invalid link"


class ExpiredLinkError(DomainError):
    code = "link_expired"
    title = "Expired link"


class UsedLinkError(DomainError):
    code = "link_used"
    title = "Link already used"


class OneTimeLink:
    def __init__(self, purpose: str, timeout_setting: str, state: Callable[[User], str]) -> None:
        self.purpose = purpose
        self.timeout_setting = timeout_setting
        self.state = state

    def _signer(self, user: User) -> signing.TimestampSigner:
        """Salted with the user's id: a token only ever vouches for the uid it was made for."""
        return signing.TimestampSigner(salt=f"heartmon.accounts.{self.purpose}:{user.pk}")

    def _state_hash(self, user: User) -> str:
        return salted_hmac(self.purpose, self.state(user)).hexdigest()[:24]

    def uid(self, user: User) -> str:
        return urlsafe_base64_encode(force_bytes(user.pk))

    def make_token(self, user: User) -> str:
        return self._signer(user).sign(self._state_hash(user))

    def url(self, path: str, user: User) -> str:
        return f"{settings.PUBLIC_URL}/{path}?uid={self.uid(user)}&token={self.make_token(user)}"

    def check(self, uid: str, token: str) -> User:
        """The user the link was made for, or a clear error saying what is wrong with it."""
        invalid = InvalidLinkError(f"This {self.purpose} link is invalid: request a new one.")
        try:
            user = User.objects.get(pk=force_str(urlsafe_base64_decode(uid)))
        except (ValueError, TypeError, OverflowError, ValidationError, User.DoesNotExist) as exc:
            raise invalid from exc
        try:
            signed_state = self._signer(user).unsign(
                token, max_age=getattr(settings, self.timeout_setting)
            )
        except signing.SignatureExpired as exc:
            raise ExpiredLinkError(
                f"This {self.purpose} link has expired: request a new one."
            ) from exc
        except signing.BadSignature as exc:
            raise invalid from exc
        if not constant_time_compare(signed_state, self._state_hash(user)):
            raise UsedLinkError(f"This {self.purpose} link has already been used.")
        return user


def _activation_state(user: Any) -> str:
    return f"{user.pk}|{user.is_active}|{user.activated_at}"


def _password_state(user: Any) -> str:
    return f"{user.pk}|{user.password}|{user.is_active}"


activation_link = OneTimeLink("activation", "ACTIVATION_TIMEOUT", _activation_state)
invitation_link = OneTimeLink("invitation", "INVITATION_TIMEOUT", _password_state)
password_reset_link = OneTimeLink("password reset", "PASSWORD_RESET_TIMEOUT", _password_state)
