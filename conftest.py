import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from heartmon.accounts.models import Organization, User
from heartmon.accounts.roles import Role
from heartmon.core.testing import client_for, make_user


@pytest.fixture(autouse=True)
def _fast_passwords_and_clean_cache(settings):
    """A cheap hasher keeps tests fast (production uses Argon2); the cache holds throttles and
    one-time codes, so each test starts with an empty one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org_a(db) -> Organization:
    return Organization.objects.create(name="St Mary's Hospital")


@pytest.fixture
def org_b(db) -> Organization:
    return Organization.objects.create(name="Riverside Clinic")


@pytest.fixture
def alice(org_a) -> User:
    return make_user(org_a, "alice@stmary.example", Role.ADMIN)


@pytest.fixture
def bob(org_a) -> User:
    return make_user(org_a, "bob@stmary.example", Role.NURSE)


@pytest.fixture
def charlie(org_b) -> User:
    return make_user(org_b, "charlie@riverside.example", Role.ADMIN)


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture
def as_alice(alice) -> APIClient:
    return client_for(alice)


@pytest.fixture
def as_bob(bob) -> APIClient:
    return client_for(bob)


@pytest.fixture
def as_charlie(charlie) -> APIClient:
    return client_for(charlie)
