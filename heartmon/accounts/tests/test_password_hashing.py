"""Passwords are hashed with Argon2id at OWASP's parameters; hashes made with Django's heavier
defaults still verify, and are re-hashed at the next sign-in."""

import pytest
from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    check_password,
    identify_hasher,
    make_password,
)

from heartmon.accounts.hashers import Argon2Hasher

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _production_hashers(settings):
    settings.PASSWORD_HASHERS = [
        "heartmon.accounts.hashers.Argon2Hasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


def test_a_new_hash_uses_owasp_parameters():
    encoded = make_password(PASSWORD)

    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert check_password(PASSWORD, encoded)
    assert not check_password("wrong " + PASSWORD, encoded)


def test_a_hash_with_djangos_defaults_verifies_and_is_renewed():
    heavier = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    renewed: list[str] = []

    assert check_password(PASSWORD, heavier, setter=renewed.append)
    assert renewed == [PASSWORD]
    assert isinstance(identify_hasher(heavier), Argon2Hasher)
