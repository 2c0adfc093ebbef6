import environ
import pytest
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from heartmon.accounts.testing import PASSWORD
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem

pytestmark = pytest.mark.django_db

ACCESS, REFRESH = "heartmon_access", "heartmon_refresh"


def browser_signed_in_as(email: str) -> APIClient:
    """A client that behaves like a browser: it keeps cookies and Django checks its CSRF token."""
    browser = APIClient(enforce_csrf_checks=True)
    response = browser.post("/api/v1/auth/cookie/login/", {"email": email, "password": PASSWORD})
    assert response.status_code == 200, response.content
    return browser


def csrf(browser: APIClient) -> dict[str, str]:
    return {"X-CSRFToken": browser.cookies["csrftoken"].value}


def test_login_sets_httponly_samesite_lax_cookies(anonymous, alice):
    response = anonymous.post(
        "/api/v1/auth/cookie/login/", {"email": "alice@stmary.example", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert response.json()["email"] == "alice@stmary.example"
    assert "access" not in response.json()
    for name, path in ((ACCESS, "/"), (REFRESH, "/api/v1/auth/cookie/")):
        cookie = response.cookies[name]
        assert cookie.value
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == path
    assert response.cookies["csrftoken"].value
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN, actor=alice).exists()


@pytest.mark.parametrize("secure", [True, False])
def test_the_cookies_are_secure_unless_debug(anonymous, alice, settings, secure):
    settings.AUTH_COOKIE_SECURE = secure

    response = anonymous.post(
        "/api/v1/auth/cookie/login/", {"email": "alice@stmary.example", "password": PASSWORD}
    )

    assert bool(response.cookies[ACCESS]["secure"]) is secure
    assert bool(response.cookies[REFRESH]["secure"]) is secure


def test_the_cookies_are_configured_secure_exactly_when_debug_is_off():
    debug = environ.Env().bool("DEBUG", default=False)  # as settings.py read it at start

    assert settings.AUTH_COOKIE_SECURE is not debug
    assert settings.CSRF_COOKIE_SECURE is not debug


def test_login_refuses_wrong_credentials_and_sets_no_cookie(anonymous, alice):
    response = anonymous.post(
        "/api/v1/auth/cookie/login/", {"email": "alice@stmary.example", "password": "nope nope"}
    )

    assert_problem(response, 401)
    assert ACCESS not in response.cookies
    assert REFRESH not in response.cookies


def test_a_cookie_authenticated_get_works(alice):
    browser = browser_signed_in_as("alice@stmary.example")

    response = browser.get("/api/v1/auth/me/")

    assert response.status_code == 200
    assert response.json()["email"] == "alice@stmary.example"


def test_an_unsafe_request_without_the_csrf_header_is_refused(alice):
    browser = browser_signed_in_as("alice@stmary.example")

    response = browser.patch("/api/v1/auth/me/", {"first_name": "Mallory"})

    body = assert_problem(response, 403)
    assert body["type"] == "urn:heartmon:problem:csrf-failed"
    assert "CSRF" in body["detail"]
    alice.refresh_from_db()
    assert alice.first_name == "Alice"


def test_an_unsafe_request_with_a_wrong_csrf_header_is_refused(alice):
    browser = browser_signed_in_as("alice@stmary.example")

    response = browser.patch(
        "/api/v1/auth/me/", {"first_name": "Mallory"}, HTTP_X_CSRFTOKEN="x" * 32
    )

    assert assert_problem(response, 403)["type"] == "urn:heartmon:problem:csrf-failed"
    alice.refresh_from_db()
    assert alice.first_name == "Alice"


def test_an_unsafe_request_with_the_csrf_header_passes(alice):
    browser = browser_signed_in_as("alice@stmary.example")

    response = browser.patch("/api/v1/auth/me/", {"first_name": "Alicia"}, headers=csrf(browser))

    assert response.status_code == 200
    alice.refresh_from_db()
    assert alice.first_name == "Alicia"


def test_bearer_needs_no_csrf_header(alice):
    client = APIClient(enforce_csrf_checks=True)
    tokens = client.post(
        "/api/v1/auth/token/", {"email": "alice@stmary.example", "password": PASSWORD}
    ).json()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")

    assert client.get("/api/v1/auth/me/").status_code == 200
    assert client.patch("/api/v1/auth/me/", {"first_name": "Alicia"}).status_code == 200


def test_refresh_renews_the_cookies_and_kills_the_old_refresh_token(alice):
    browser = browser_signed_in_as("alice@stmary.example")
    old_refresh = browser.cookies[REFRESH].value

    response = browser.post("/api/v1/auth/cookie/refresh/", headers=csrf(browser))

    assert response.status_code == 204
    assert response.cookies[REFRESH].value != old_refresh
    assert response.cookies[ACCESS]["httponly"] is True
    assert browser.get("/api/v1/auth/me/").status_code == 200
    replay = APIClient().post("/api/v1/auth/token/refresh/", {"refresh": old_refresh})
    assert_problem(replay, 401)


def test_refresh_without_the_csrf_header_is_refused(alice):
    browser = browser_signed_in_as("alice@stmary.example")
    old_refresh = browser.cookies[REFRESH].value

    response = browser.post("/api/v1/auth/cookie/refresh/")

    assert_problem(response, 403)
    assert not BlacklistedToken.objects.filter(token__token=old_refresh).exists()


def test_refresh_without_a_refresh_cookie_is_refused(alice):
    browser = browser_signed_in_as("alice@stmary.example")
    del browser.cookies[REFRESH]

    response = browser.post("/api/v1/auth/cookie/refresh/", headers=csrf(browser))

    assert_problem(response, 401)


def test_refresh_with_a_logged_out_refresh_cookie_is_refused(alice):
    browser = browser_signed_in_as("alice@stmary.example")
    refresh = browser.cookies[REFRESH].value
    browser.post("/api/v1/auth/cookie/logout/", headers=csrf(browser))
    browser.cookies[REFRESH] = refresh

    response = browser.post("/api/v1/auth/cookie/refresh/", headers=csrf(browser))

    assert_problem(response, 401)


def test_logout_clears_the_cookies_and_kills_the_refresh_token(alice):
    browser = browser_signed_in_as("alice@stmary.example")
    refresh = browser.cookies[REFRESH].value

    response = browser.post("/api/v1/auth/cookie/logout/", headers=csrf(browser))

    assert response.status_code == 204
    for name in (ACCESS, REFRESH):
        assert response.cookies[name].value == ""
        assert response.cookies[name]["max-age"] == 0
    assert BlacklistedToken.objects.filter(token__token=refresh).exists()
    assert AuditEvent.objects.filter(action=AuditAction.LOGOUT, actor=alice).exists()
    assert_problem(browser.get("/api/v1/auth/me/"), 401)
    replay = APIClient().post("/api/v1/auth/token/refresh/", {"refresh": refresh})
    assert_problem(replay, 401)


def test_logout_without_the_csrf_header_is_refused(alice):
    browser = browser_signed_in_as("alice@stmary.example")
    refresh = browser.cookies[REFRESH].value

    response = browser.post("/api/v1/auth/cookie/logout/")

    assert_problem(response, 403)
    assert not BlacklistedToken.objects.filter(token__token=refresh).exists()


def test_a_forged_access_cookie_is_refused(alice):
    browser = browser_signed_in_as("alice@stmary.example")
    browser.cookies[ACCESS] = "not-a-jwt"

    response = browser.get("/api/v1/auth/me/")

    assert_problem(response, 401)
