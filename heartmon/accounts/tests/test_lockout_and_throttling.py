from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from heartmon.accounts.testing import PASSWORD
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
RIGHT = {"email": "bob@stmary.example", "password": PASSWORD}
WRONG = {"email": "bob@stmary.example", "password": "guessing again"}


@pytest.fixture
def rates(monkeypatch):
    """DRF reads the rates once, at import: set them on the class for one test."""

    def set_rates(**scopes: str) -> None:
        for scope, rate in scopes.items():
            monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, rate)

    return set_rates


@pytest.fixture
def no_throttles(rates):
    rates(login_ip="1000/min", login_account="1000/min")


def fail(client: APIClient, times: int) -> list:
    return [client.post(TOKEN, WRONG) for _ in range(times)]


def test_ten_failures_lock_the_account(no_throttles, anonymous, bob):
    answers = fail(anonymous, 10)

    assert [a.status_code for a in answers[:9]] == [401] * 9
    body = assert_problem(answers[9], 429)
    assert body["type"] == "urn:heartmon:problem:account-locked"
    assert "15 more minutes" in body["detail"]
    assert answers[9]["Retry-After"] == "900"


def test_a_locked_account_refuses_even_the_right_password(no_throttles, anonymous, bob):
    fail(anonymous, 10)

    response = anonymous.post(TOKEN, RIGHT)

    body = assert_problem(response, 429)
    assert body["type"] == "urn:heartmon:problem:account-locked"
    assert response["Retry-After"] == "900"
    assert AuditEvent.objects.filter(action=AuditAction.ACCOUNT_LOCKED, actor=bob).exists()


def test_the_lock_does_not_touch_other_accounts(no_throttles, anonymous, alice, bob):
    fail(anonymous, 10)

    response = anonymous.post(TOKEN, {"email": "alice@stmary.example", "password": PASSWORD})

    assert response.status_code == 200


def test_the_account_unlocks_after_fifteen_minutes(no_throttles, anonymous, bob):
    fail(anonymous, 10)

    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=5)):
        response = anonymous.post(TOKEN, RIGHT)

    assert response.status_code == 200


def test_the_account_is_still_locked_after_fourteen_minutes(no_throttles, anonymous, bob):
    fail(anonymous, 10)

    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        response = anonymous.post(TOKEN, RIGHT)

    assert_problem(response, 429)


def test_a_successful_sign_in_forgives_earlier_failures(no_throttles, anonymous, bob):
    fail(anonymous, 9)
    assert anonymous.post(TOKEN, RIGHT).status_code == 200

    answers = fail(anonymous, 9)

    assert [a.status_code for a in answers] == [401] * 9
    assert anonymous.post(TOKEN, RIGHT).status_code == 200


def test_wrong_two_factor_codes_count_toward_the_lock(no_throttles, anonymous, bob):
    TOTPDevice.objects.create(user=bob, name="app", confirmed=True)
    answers = [anonymous.post(TOKEN, {**RIGHT, "otp": "000000"}) for _ in range(10)]

    assert_problem(answers[-1], 429)
    assert_problem(anonymous.post(TOKEN, RIGHT), 429)


def test_sign_in_is_throttled_per_address(rates, bob, alice):
    rates(login_ip="3/min", login_account="1000/min")
    client = APIClient(REMOTE_ADDR="10.0.0.9")
    emails = ["bob@stmary.example", "alice@stmary.example", "x@stmary.example"]
    for email in emails:
        client.post(TOKEN, {"email": email, "password": "whatever it is"})

    response = client.post(TOKEN, RIGHT)

    body = assert_problem(response, 429)
    assert body["type"] == "urn:heartmon:problem:throttled"
    assert 0 < int(response["Retry-After"]) <= 61
    assert APIClient(REMOTE_ADDR="10.0.0.10").post(TOKEN, RIGHT).status_code == 200


def test_sign_in_is_throttled_per_account(rates, bob, alice):
    rates(login_ip="1000/min", login_account="3/min")
    for number in range(3):
        APIClient(REMOTE_ADDR=f"10.0.1.{number}").post(TOKEN, WRONG)

    response = APIClient(REMOTE_ADDR="10.0.1.99").post(
        TOKEN, {"email": " BOB@stmary.example", "password": PASSWORD}
    )

    assert assert_problem(response, 429)["type"] == "urn:heartmon:problem:throttled"
    assert int(response["Retry-After"]) > 0
    other = APIClient(REMOTE_ADDR="10.0.1.99").post(
        TOKEN, {"email": "alice@stmary.example", "password": PASSWORD}
    )
    assert other.status_code == 200


def test_the_throttle_lifts_after_its_window(rates, anonymous, bob):
    rates(login_ip="2/min", login_account="1000/min")
    fail(anonymous, 2)
    assert_problem(anonymous.post(TOKEN, RIGHT), 429)

    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        response = anonymous.post(TOKEN, RIGHT)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("url", "payload"),
    [
        ("/api/v1/auth/password/reset/", {"email": "bob@stmary.example"}),
        ("/api/v1/auth/register/", {"email": "new@example.com"}),
    ],
)
def test_mail_sending_endpoints_are_throttled(rates, anonymous, bob, url, payload):
    rates(anonymous_mail="2/hour")
    anonymous.post(url, payload)
    anonymous.post(url, payload)

    response = anonymous.post(url, payload)

    assert assert_problem(response, 429)["type"] == "urn:heartmon:problem:throttled"
    assert int(response["Retry-After"]) > 60


def test_code_confirmation_is_throttled(rates, anonymous):
    rates(one_time_code="2/hour")
    attempt = {"email": "bob@stmary.example", "code": "123456", "new_password": "p" * 12}
    anonymous.post("/api/v1/auth/password/reset/confirm/", attempt)
    anonymous.post("/api/v1/auth/password/reset/confirm/", attempt)

    response = anonymous.post("/api/v1/auth/password/reset/confirm/", attempt)

    assert_problem(response, 429)
    assert "Retry-After" in response
