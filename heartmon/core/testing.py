"""The shared cast and helpers for tests: alice (admin, org A), bob (nurse, org A), charlie
(admin, org B). Fixtures live in the root conftest.py; these are the plain functions behind them."""

from typing import Any

from rest_framework.test import APIClient

from heartmon.accounts.models import Organization, User
from heartmon.core.errors import PROBLEM_CONTENT_TYPE
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


def assert_problem(response: Any, status: int, *, field: str | None = None) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status (and an error for `field`)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:heartmon:problem:")
    assert body["title"] and body["detail"]
    if field is not None:
        assert field in body["errors"], body
    return body
