"""Device API keys: `hmd_<prefix>_<secret>`. The prefix is public and finds the row; the database
keeps only the SHA-256 digest of the whole key, compared in constant time."""

import hashlib
import hmac
import secrets
from typing import NamedTuple

SCHEME = "hmd"
PREFIX_BYTES = 4  # 8 hex characters: enough to find a key, too short to mean anything
SECRET_BYTES = 32


class NewKey(NamedTuple):
    prefix: str
    digest: str
    key: str


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def generate() -> NewKey:
    prefix = secrets.token_hex(PREFIX_BYTES)
    key = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(SECRET_BYTES)}"
    return NewKey(prefix=prefix, digest=digest_of(key), key=key)


def prefix_of(key: str) -> str | None:
    """The prefix of a well-formed key, else None."""
    scheme, _, rest = key.partition("_")
    prefix, _, secret = rest.partition("_")
    if scheme != SCHEME or len(prefix) != PREFIX_BYTES * 2 or not secret:
        return None
    return prefix


def matches(key: str, digest: str) -> bool:
    return hmac.compare_digest(digest_of(key), digest)
