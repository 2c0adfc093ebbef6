"""People for tests and benchmarks: the plain functions behind the root conftest's cast."""

from typing import Any

from rest_framework.test import APIClient

from heartmon.accounts.models import Organization, User
from heartmon.core.roles import Role

PASSWORD = "a long test passphrase"


def make_user(
    organization: Organization | None,
    email: str,
    role: str = Role.NURSE,
    *,
    password: str = PASSWORD,
    **fields: Any,
) -> User:
    fields.setdefault("first_name", email.split("@")[0].title())
    fields.setdefault("last_name", "Tester")
    return User.objects.create_user(
        email=email, password=password, organization=organization, role=role, **fields
    )


def client_for(user: User | None) -> APIClient:
    """An API client authenticated as `user` (Bearer), or anonymous for None."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
