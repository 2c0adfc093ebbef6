"""Changing or resetting a password, and deactivation, sign out everywhere: every token issued
before is refused at once, access tokens included, and stays refused after a re-activation."""

import pytest
from rest_framework.test import APIClient

from heartmon.accounts.testing import PASSWORD
from heartmon.accounts.tests.mail import link_in
from heartmon.core.testing import assert_problem

pytestmark = pytest.mark.django_db

ME = "/api/v1/auth/me/"
NEW_PASSWORD = "a brand new passphrase"


def sign_in(email: str = "bob@stmary.example", password: str = PASSWORD) -> dict[str, str]:
    response = APIClient().post("/api/v1/auth/token/", {"email": email, "password": password})
    assert response.status_code == 200, response.content
    return response.json()


def bearer(tokens: dict[str, str]) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    return client


def assert_revoked(response) -> None:
    body = assert_problem(response, 401)
    assert body["type"] == "urn:heartmon:problem:token-revoked"


def test_a_password_change_kills_every_earlier_access_token(bob):
    laptop, phone = sign_in(), sign_in()

    changed = bearer(laptop).post(
        "/api/v1/auth/password/change/",
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD},
    )

    assert changed.status_code == 200
    assert_revoked(bearer(phone).get(ME))
    assert_revoked(bearer(laptop).get(ME))
    assert bearer(changed.json()).get(ME).status_code == 200


def test_a_password_reset_kills_every_earlier_access_token(anonymous, bob, sent):
    before = sign_in()
    anonymous.post("/api/v1/auth/password/reset/", {"email": bob.email})
    link = link_in(sent()[-1], "reset-password")

    anonymous.post("/api/v1/auth/password/reset/confirm/", {**link, "new_password": NEW_PASSWORD})

    assert_revoked(bearer(before).get(ME))
    assert bearer(sign_in(password=NEW_PASSWORD)).get(ME).status_code == 200


def test_a_reactivated_users_old_tokens_stay_dead(as_alice, bob):
    before = sign_in()

    as_alice.patch(f"/api/v1/users/{bob.pk}/", {"is_active": False})
    as_alice.patch(f"/api/v1/users/{bob.pk}/", {"is_active": True})

    assert_revoked(bearer(before).get(ME))
    refreshed = APIClient().post("/api/v1/auth/token/refresh/", {"refresh": before["refresh"]})
    assert_problem(refreshed, 401)
    assert bearer(sign_in()).get(ME).status_code == 200


def test_a_refresh_of_an_earlier_epoch_is_refused_even_if_not_blacklisted(bob):
    before = sign_in()
    bob.token_epoch += 1
    bob.save()

    refreshed = APIClient().post("/api/v1/auth/token/refresh/", {"refresh": before["refresh"]})

    assert_revoked(refreshed)


def test_the_cookie_of_an_earlier_epoch_is_refused(bob):
    browser = APIClient(enforce_csrf_checks=True)
    browser.post("/api/v1/auth/cookie/login/", {"email": bob.email, "password": PASSWORD})
    assert browser.get(ME).status_code == 200

    bob.token_epoch += 1
    bob.save()

    assert_revoked(browser.get(ME))


def test_tokens_survive_what_does_not_sign_out(as_alice, bob):
    tokens = sign_in()

    as_alice.patch(f"/api/v1/users/{bob.pk}/", {"first_name": "Robert"})

    assert bearer(tokens).get(ME).status_code == 200
