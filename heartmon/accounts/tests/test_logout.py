import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from heartmon.accounts.testing import PASSWORD
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/logout/"


def sign_in(email: str) -> tuple[APIClient, dict[str, str]]:
    client = APIClient()
    tokens = client.post("/api/v1/auth/token/", {"email": email, "password": PASSWORD}).json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    return client, tokens


def test_it_blacklists_the_refresh_token(alice):
    client, tokens = sign_in("alice@stmary.example")

    response = client.post(URL, {"refresh": tokens["refresh"]})

    assert response.status_code == 204
    assert BlacklistedToken.objects.filter(token__user=alice).count() == 1
    refreshed = APIClient().post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]})
    assert_problem(refreshed, 401)


def test_a_logout_is_audited(alice):
    client, tokens = sign_in("alice@stmary.example")

    client.post(URL, {"refresh": tokens["refresh"]})

    event = AuditEvent.objects.get(action=AuditAction.LOGOUT)
    assert event.actor == alice
    assert event.organization == alice.organization


def test_it_cannot_log_out_someone_elses_token(alice, bob):
    as_alice, _ = sign_in("alice@stmary.example")
    _, bobs = sign_in("bob@stmary.example")

    response = as_alice.post(URL, {"refresh": bobs["refresh"]})

    assert_problem(response, 400, field="refresh")
    assert not BlacklistedToken.objects.exists()
    refreshed = APIClient().post("/api/v1/auth/token/refresh/", {"refresh": bobs["refresh"]})
    assert refreshed.status_code == 200


def test_logging_out_twice_is_a_clear_error(alice):
    client, tokens = sign_in("alice@stmary.example")
    client.post(URL, {"refresh": tokens["refresh"]})

    response = client.post(URL, {"refresh": tokens["refresh"]})

    assert_problem(response, 400, field="refresh")
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT).count() == 1


def test_it_requires_authentication(alice):
    _, tokens = sign_in("alice@stmary.example")

    response = APIClient().post(URL, {"refresh": tokens["refresh"]})

    assert_problem(response, 401)
    assert not BlacklistedToken.objects.exists()


def test_it_names_the_missing_refresh_field(alice):
    client, _ = sign_in("alice@stmary.example")

    response = client.post(URL, {})

    assert_problem(response, 400, field="refresh")


def test_it_rejects_garbage_as_a_refresh_token(alice):
    client, _ = sign_in("alice@stmary.example")

    response = client.post(URL, {"refresh": "not.a.token"})

    assert_problem(response, 400, field="refresh")


def test_it_rejects_an_overlong_refresh_token(alice):
    client, _ = sign_in("alice@stmary.example")

    response = client.post(URL, {"refresh": "x" * 2049})

    assert_problem(response, 400, field="refresh")
