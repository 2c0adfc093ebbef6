"""6-digit password-reset codes kept in the cache (Redis when configured): only a digest is
stored, for PASSWORD_RESET_CODE_TIMEOUT seconds, and the code dies after too many wrong tries."""

import secrets

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import constant_time_compare, salted_hmac

from heartmon.core.errors import DomainError


class WrongCodeError(DomainError):
    code = "code_invalid"
    title = "Wrong or expired code"


def _keys(user_id: object) -> tuple[str, str]:
    base = f"accounts:password-reset-code:{user_id}"
    return base, f"{base}:wrong"


def _digest(code: str) -> str:
    return salted_hmac("heartmon.accounts.password-reset-code", code).hexdigest()


def issue_code(user_id: object) -> str:
    code = f"{secrets.randbelow(10**6):06d}"
    digest_key, wrong_key = _keys(user_id)
    timeout = settings.PASSWORD_RESET_CODE_TIMEOUT
    cache.set_many({digest_key: _digest(code), wrong_key: 0}, timeout)
    return code


def discard_code(user_id: object) -> None:
    cache.delete_many(list(_keys(user_id)))


def check_code(user_id: object, code: str) -> None:
    """Accept the code once; raise WrongCodeError otherwise, killing it after the last try."""
    digest_key, wrong_key = _keys(user_id)
    digest = cache.get(digest_key)
    if digest is not None and constant_time_compare(digest, _digest(code)):
        cache.delete_many([digest_key, wrong_key])
        return
    if digest is not None:
        try:
            wrong = cache.incr(wrong_key)
        except ValueError:
            wrong = settings.PASSWORD_RESET_CODE_MAX_ATTEMPTS
        if wrong >= settings.PASSWORD_RESET_CODE_MAX_ATTEMPTS:
            cache.delete_many([digest_key, wrong_key])
            raise WrongCodeError(
                "Too many wrong codes: this code no longer works; request a new one."
            )
    raise WrongCodeError("The code is wrong or has expired.")
