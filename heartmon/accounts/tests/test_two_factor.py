from base64 import b32decode
from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from heartmon.accounts.testing import PASSWORD
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem

pytestmark = pytest.mark.django_db

SETUP = "/api/v1/auth/2fa/setup/"
CONFIRM = "/api/v1/auth/2fa/confirm/"
DISABLE = "/api/v1/auth/2fa/disable/"
CREDENTIALS = {"email": "alice@stmary.example", "password": PASSWORD}


def code(secret: str) -> str:
    """What the authenticator app shows now."""
    return f"{totp(b32decode(secret)):06d}"


def wrong(right: str) -> str:
    return f"{(int(right) + 1) % 10**6:06d}"


@pytest.fixture
def secret(as_alice) -> str:
    response = as_alice.post(SETUP)
    assert response.status_code == 201
    return response.json()["secret"]


@pytest.fixture
def enabled(as_alice, secret) -> str:
    assert as_alice.post(CONFIRM, {"code": code(secret)}).status_code == 204
    return secret


def test_setup_returns_an_otpauth_uri(as_alice, alice):
    response = as_alice.post(SETUP)

    assert response.status_code == 201
    body = response.json()
    uri = urlsplit(body["otpauth_uri"])
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert unquote(uri.path) == "/heartmon:alice@stmary.example", uri.path
    query = parse_qs(uri.query)
    assert query["secret"] == [body["secret"]]
    assert query["issuer"] == ["heartmon"]
    assert TOTPDevice.objects.get(user=alice).confirmed is False


def test_setup_alone_does_not_turn_two_factor_on(as_alice, anonymous, secret):
    assert as_alice.get("/api/v1/auth/me/").json()["two_factor_enabled"] is False
    assert anonymous.post("/api/v1/auth/token/", CREDENTIALS).status_code == 200


def test_confirm_with_the_apps_code_turns_it_on(as_alice, alice, secret):
    response = as_alice.post(CONFIRM, {"code": code(secret)})

    assert response.status_code == 204
    assert TOTPDevice.objects.get(user=alice).confirmed is True
    assert as_alice.get("/api/v1/auth/me/").json()["two_factor_enabled"] is True
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_ENABLED, actor=alice).exists()


def test_confirm_refuses_a_wrong_code(as_alice, alice, secret):
    response = as_alice.post(CONFIRM, {"code": wrong(code(secret))})

    assert_problem(response, 400, field="code")
    assert TOTPDevice.objects.get(user=alice).confirmed is False


def test_confirm_without_a_setup_is_a_conflict(as_alice):
    assert_problem(as_alice.post(CONFIRM, {"code": "123456"}), 409)


def test_once_on_login_needs_the_otp(anonymous, enabled):
    later = timezone.now() + timedelta(seconds=30)
    without = anonymous.post("/api/v1/auth/token/", CREDENTIALS)
    with time_machine.travel(later):
        with_otp = anonymous.post("/api/v1/auth/token/", {**CREDENTIALS, "otp": code(enabled)})

    assert assert_problem(without, 401)["type"] == "urn:heartmon:problem:otp-required"
    assert with_otp.status_code == 200
    assert sorted(with_otp.json()) == ["access", "refresh"]


def test_a_code_cannot_be_used_twice(anonymous, enabled):
    later = timezone.now() + timedelta(seconds=30)
    with time_machine.travel(later):
        otp = code(enabled)
        first = anonymous.post("/api/v1/auth/token/", {**CREDENTIALS, "otp": otp})
        second = anonymous.post("/api/v1/auth/token/", {**CREDENTIALS, "otp": otp})

    assert first.status_code == 200
    assert assert_problem(second, 401)["type"] == "urn:heartmon:problem:otp-invalid"


def test_cookie_login_needs_the_otp_too(anonymous, enabled):
    response = anonymous.post("/api/v1/auth/cookie/login/", CREDENTIALS)

    assert assert_problem(response, 401)["type"] == "urn:heartmon:problem:otp-required"
    assert "heartmon_access" not in response.cookies


def test_setup_while_on_is_a_conflict(as_alice, alice, enabled):
    assert_problem(as_alice.post(SETUP), 409)
    assert TOTPDevice.objects.filter(user=alice).count() == 1


def test_disable_with_a_code_turns_it_off(as_alice, anonymous, alice, enabled):
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        response = as_alice.post(DISABLE, {"code": code(enabled)})

    assert response.status_code == 204
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert AuditEvent.objects.filter(action=AuditAction.TWO_FACTOR_DISABLED, actor=alice).exists()
    assert anonymous.post("/api/v1/auth/token/", CREDENTIALS).status_code == 200


def test_disable_refuses_a_wrong_code(as_alice, alice, enabled):
    with time_machine.travel(timezone.now() + timedelta(seconds=30)):
        response = as_alice.post(DISABLE, {"code": wrong(code(enabled))})

    assert_problem(response, 400, field="code")
    assert TOTPDevice.objects.get(user=alice).confirmed is True


def test_wrong_disable_codes_are_throttled_by_the_device(as_alice, alice, enabled):
    as_alice.post(DISABLE, {"code": wrong(code(enabled))})

    assert TOTPDevice.objects.get(user=alice).throttling_failure_count == 1
    # The throttle holds for a moment after a failure, so even the right code waits.
    assert_problem(as_alice.post(DISABLE, {"code": code(enabled)}), 400, field="code")
    assert TOTPDevice.objects.filter(user=alice, confirmed=True).exists()


def test_disable_while_off_is_a_conflict(as_alice):
    assert_problem(as_alice.post(DISABLE, {"code": "123456"}), 409)


def test_codes_are_validated(as_alice, secret):
    assert_problem(as_alice.post(CONFIRM, {}), 400, field="code")
    assert_problem(as_alice.post(CONFIRM, {"code": "12ab56"}), 400, field="code")
    assert_problem(as_alice.post(CONFIRM, {"code": "1" * 9}), 400, field="code")


@pytest.mark.parametrize("url", [SETUP, CONFIRM, DISABLE])
def test_it_requires_authentication(anonymous, url):
    assert_problem(anonymous.post(url, {"code": "123456"}), 401)
