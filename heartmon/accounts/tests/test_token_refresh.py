from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings as jwt_settings
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken

from heartmon.accounts.testing import PASSWORD
from heartmon.core.testing import assert_problem

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/refresh/"


@pytest.fixture
def tokens(anonymous, alice) -> dict[str, str]:
    response = anonymous.post(
        "/api/v1/auth/token/", {"email": "alice@stmary.example", "password": PASSWORD}
    )
    return response.json()


def test_it_exchanges_a_refresh_token_for_a_new_pair(anonymous, tokens):
    response = anonymous.post(URL, {"refresh": tokens["refresh"]})

    assert response.status_code == 200
    body = response.json()
    assert sorted(body) == ["access", "refresh"]
    assert body["refresh"] != tokens["refresh"]
    anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access']}")
    assert anonymous.get("/api/v1/auth/me/").status_code == 200


def test_the_old_refresh_token_dies_on_rotation(anonymous, tokens):
    anonymous.post(URL, {"refresh": tokens["refresh"]})

    response = anonymous.post(URL, {"refresh": tokens["refresh"]})

    body = assert_problem(response, 401)
    assert body["type"] == "urn:heartmon:problem:token-not-valid"
    assert BlacklistedToken.objects.count() == 1


def test_the_new_refresh_token_keeps_working(anonymous, tokens):
    second = anonymous.post(URL, {"refresh": tokens["refresh"]}).json()

    response = anonymous.post(URL, {"refresh": second["refresh"]})

    assert response.status_code == 200


def test_it_refuses_an_expired_refresh_token(anonymous, tokens):
    later = timezone.now() + jwt_settings.REFRESH_TOKEN_LIFETIME + timedelta(minutes=1)
    with time_machine.travel(later):
        response = anonymous.post(URL, {"refresh": tokens["refresh"]})

    assert_problem(response, 401)


def test_it_refuses_an_access_token(anonymous, tokens):
    response = anonymous.post(URL, {"refresh": tokens["access"]})

    assert_problem(response, 401)


def test_it_refuses_a_tampered_refresh_token(anonymous, tokens):
    response = anonymous.post(URL, {"refresh": tokens["refresh"][:-3] + "xyz"})

    assert_problem(response, 401)


def test_it_refuses_the_refresh_token_of_a_deactivated_user(anonymous, tokens, alice):
    alice.is_active = False
    alice.save()

    response = anonymous.post(URL, {"refresh": tokens["refresh"]})

    assert_problem(response, 401)


def test_it_names_the_missing_refresh_field(anonymous):
    response = anonymous.post(URL, {})

    assert_problem(response, 400, field="refresh")


def test_an_expired_access_token_is_refused(anonymous, tokens):
    later = timezone.now() + jwt_settings.ACCESS_TOKEN_LIFETIME + timedelta(seconds=5)
    anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    with time_machine.travel(later):
        response = anonymous.get("/api/v1/auth/me/")

    assert_problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")
