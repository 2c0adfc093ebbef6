import pytest
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from heartmon.accounts.testing import PASSWORD
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/password/change/"
NEW_PASSWORD = "sinus rhythm at dawn"


def sign_in(password: str = PASSWORD) -> tuple[APIClient, dict[str, str]]:
    client = APIClient()
    tokens = client.post(
        "/api/v1/auth/token/", {"email": "bob@stmary.example", "password": password}
    ).json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    return client, tokens


def test_it_changes_the_password_and_returns_new_tokens(bob):
    client, _ = sign_in()

    response = client.post(URL, {"old_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert response.status_code == 200
    assert sorted(response.json()) == ["access", "refresh"]
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)
    fresh = APIClient().post("/api/v1/auth/token/refresh/", {"refresh": response.json()["refresh"]})
    assert fresh.status_code == 200


def test_it_signs_out_every_other_session(bob):
    client, tokens = sign_in()
    _, other_device = sign_in()

    client.post(URL, {"old_password": PASSWORD, "new_password": NEW_PASSWORD})

    for refresh in (tokens["refresh"], other_device["refresh"]):
        response = APIClient().post("/api/v1/auth/token/refresh/", {"refresh": refresh})
        assert_problem(response, 401)
    assert BlacklistedToken.objects.filter(token__user=bob).count() == 2


def test_the_old_password_no_longer_signs_in(bob):
    client, _ = sign_in()
    client.post(URL, {"old_password": PASSWORD, "new_password": NEW_PASSWORD})

    response = APIClient().post(
        "/api/v1/auth/token/", {"email": "bob@stmary.example", "password": PASSWORD}
    )

    assert_problem(response, 401)


def test_a_password_change_is_audited(bob):
    client, _ = sign_in()

    client.post(URL, {"old_password": PASSWORD, "new_password": NEW_PASSWORD})

    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_CHANGED)
    assert event.actor == bob
    assert event.object_id == str(bob.pk)


def test_it_refuses_a_wrong_old_password(bob):
    client, _ = sign_in()

    response = client.post(URL, {"old_password": "not my password", "new_password": NEW_PASSWORD})

    assert_problem(response, 400, field="old_password")
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)
    assert not BlacklistedToken.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.PASSWORD_CHANGED).exists()


@pytest.mark.parametrize("weak", ["short", "password123", "1234567890123", "bob@stmary.example"])
def test_it_refuses_a_weak_new_password(bob, weak):
    client, _ = sign_in()

    response = client.post(URL, {"old_password": PASSWORD, "new_password": weak})

    assert_problem(response, 400, field="new_password")
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)
    assert not BlacklistedToken.objects.exists()


def test_it_names_every_missing_field(bob):
    client, _ = sign_in()

    body = assert_problem(client.post(URL, {}), 400)

    assert sorted(body["errors"]) == ["new_password", "old_password"]


def test_it_rejects_an_overlong_new_password(bob):
    client, _ = sign_in()

    response = client.post(URL, {"old_password": PASSWORD, "new_password": "n" * 129})

    assert_problem(response, 400, field="new_password")


def test_it_requires_authentication(anonymous, bob):
    response = anonymous.post(URL, {"old_password": PASSWORD, "new_password": NEW_PASSWORD})

    assert_problem(response, 401)
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)
