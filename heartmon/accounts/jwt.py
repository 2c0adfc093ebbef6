"""Tokens that die with the account state they were issued in. Each token carries the user's
token epoch; a password change or reset and a deactivation move the epoch on
(`sign_out_everywhere`), so every token issued before is refused, the short-lived access tokens
included, and a re-activated user's old tokens never come back to life."""

from typing import Any

from rest_framework.exceptions import AuthenticationFailed
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken, Token

from heartmon.accounts.models import User

EPOCH_CLAIM = "epoch"


class _EpochStamp(Token):
    @classmethod
    def for_user(cls, user: Any) -> Any:
        token = super().for_user(user)
        token[EPOCH_CLAIM] = user.token_epoch
        return token


class EpochRefreshToken(RefreshToken, _EpochStamp):  # type: ignore[misc]
    """A refresh token (and the access tokens made from it) stamped with the user's epoch. The
    stamp sits below the blacklist in the method order, so the outstanding token recorded at
    issue is the stamped one."""


def check_epoch(token: Token, user: User) -> None:
    if token.get(EPOCH_CLAIM, 0) != user.token_epoch:
        raise AuthenticationFailed(
            "This token was issued before a password change, a reset or a deactivation: "
            "sign in again.",
            code="token_revoked",
        )


class EpochRefreshSerializer(TokenRefreshSerializer):
    """Refresh, for an active user whose epoch the refresh token still carries."""

    token_class = EpochRefreshToken

    def validate(self, attrs: dict[str, Any]) -> dict[str, str]:
        refresh = self.token_class(attrs["refresh"])
        user_id = refresh.payload.get(api_settings.USER_ID_CLAIM)
        user = User.objects.filter(pk=user_id, is_active=True).first()
        if user is None:
            raise AuthenticationFailed(
                self.error_messages["no_active_account"], "no_active_account"
            )
        check_epoch(refresh, user)
        return super().validate(attrs)
