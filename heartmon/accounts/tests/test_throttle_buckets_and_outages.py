"""Sign-in and token refresh count in separate buckets (refresh per token), and a cache (Redis)
outage never answers 500: sign-in and refresh fail open, mail and code endpoints fail closed."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from redis.exceptions import ConnectionError as RedisConnectionError
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from heartmon.accounts.testing import PASSWORD
from heartmon.core.testing import assert_problem
from heartmon.outbox.models import Message

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
SIGN_IN = {"email": "bob@stmary.example", "password": PASSWORD}
REDIS_DOWN = override_settings(
    CACHES={
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
)


@pytest.fixture
def rates(monkeypatch):
    def set_rates(**scopes: str) -> None:
        for scope, rate in scopes.items():
            monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, rate)

    return set_rates


@pytest.fixture
def hospital_nat() -> APIClient:
    """Everyone on a hospital's network, seen from one address."""
    return APIClient(REMOTE_ADDR="192.0.2.10")


def test_refreshes_do_not_use_up_the_sign_in_limit(rates, hospital_nat, bob, alice):
    rates(login_ip="3/min")
    refresh = hospital_nat.post(TOKEN, SIGN_IN).json()["refresh"]

    for _ in range(5):
        answer = hospital_nat.post(REFRESH, {"refresh": refresh})
        assert answer.status_code == 200, answer.content
        refresh = answer.json()["refresh"]

    other = {"email": "alice@stmary.example", "password": PASSWORD}
    assert hospital_nat.post(TOKEN, other).status_code == 200


def test_refresh_is_limited_per_token(rates, hospital_nat, bob):
    rates(token_refresh="2/min")
    stolen = {"refresh": "not.a.token"}

    answers = [hospital_nat.post(REFRESH, stolen).status_code for _ in range(3)]

    assert answers == [401, 401, 429]
    assert hospital_nat.post(REFRESH, {"refresh": "another.bad.token"}).status_code == 401


def test_sign_in_and_refresh_keep_working_while_redis_is_down(anonymous, bob):
    with REDIS_DOWN:
        signed_in = anonymous.post(TOKEN, SIGN_IN)
        refreshed = anonymous.post(REFRESH, {"refresh": signed_in.json()["refresh"]})

    assert signed_in.status_code == 200, signed_in.content
    assert refreshed.status_code == 200, refreshed.content


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/auth/password/reset/", {"email": "bob@stmary.example"}),
        ("/api/v1/auth/activate/resend/", {"email": "bob@stmary.example"}),
        (
            "/api/v1/auth/register/",
            {
                "email": "nora@northwind.example",
                "password": PASSWORD,
                "first_name": "Nora",
                "last_name": "Reyes",
                "organization_name": "Northwind",
            },
        ),
        (
            "/api/v1/auth/password/reset/confirm/",
            {"email": "bob@stmary.example", "code": "123456", "new_password": "p" * 12},
        ),
        ("/api/v1/auth/activate/", {"uid": "x", "token": "y"}),
    ],
)
def test_mail_and_code_endpoints_refuse_with_503_while_redis_is_down(anonymous, bob, url, body):
    with REDIS_DOWN:
        response = anonymous.post(url, body)

    problem = assert_problem(response, 503)
    assert problem["type"] == "urn:heartmon:problem:service-unavailable"
    assert int(response["Retry-After"]) > 0
    assert not Message.objects.exists()


def test_redis_lost_after_the_throttles_passed_answers_503_not_500(anonymous, bob, monkeypatch):
    """Redis went away between the throttles and storing the reset code (seen by
    `ops/ci/production.py redis`): 503, and no mail without its code."""

    def lost(*args, **kwargs):
        raise RedisConnectionError("Error while reading from 127.0.0.1:6379 : (104, 'reset')")

    monkeypatch.setattr(cache, "set_many", lost)

    response = anonymous.post("/api/v1/auth/password/reset/", {"email": bob.email})

    problem = assert_problem(response, 503)
    assert problem["type"] == "urn:heartmon:problem:service-unavailable"
    assert not Message.objects.exists()
