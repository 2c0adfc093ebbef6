import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from heartmon.accounts.models import User
from heartmon.accounts.testing import PASSWORD
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/token/"


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key):06d}"


def test_it_returns_a_token_pair_for_the_right_credentials(anonymous, alice):
    response = anonymous.post(URL, {"email": "alice@stmary.example", "password": PASSWORD})

    assert response.status_code == 200
    assert sorted(response.json()) == ["access", "refresh"]
    me = APIClient()
    me.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
    assert me.get("/api/v1/auth/me/").json()["email"] == "alice@stmary.example"
    alice.refresh_from_db()
    assert alice.last_login is not None


def test_the_email_address_is_not_case_sensitive(anonymous, alice):
    response = anonymous.post(URL, {"email": " Alice@StMary.example", "password": PASSWORD})

    assert response.status_code == 200


def test_a_successful_login_is_audited(anonymous, alice):
    anonymous.post(URL, {"email": "alice@stmary.example", "password": PASSWORD})

    event = AuditEvent.objects.get(action=AuditAction.LOGIN)
    assert event.actor == alice
    assert event.organization == alice.organization
    assert event.ip == "127.0.0.1"
    assert event.request_id


def test_it_refuses_a_wrong_password(anonymous, alice):
    response = anonymous.post(URL, {"email": "alice@stmary.example", "password": "not it at all"})

    body = assert_problem(response, 401)
    assert body["type"] == "urn:heartmon:problem:authentication-failed"
    assert "access" not in body


def test_a_failed_login_is_audited(anonymous, alice):
    anonymous.post(URL, {"email": "alice@stmary.example", "password": "not it at all"})

    event = AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED)
    assert event.actor == alice
    assert event.details == {"reason": "bad_credentials"}


def test_it_answers_an_unknown_address_like_a_wrong_password(anonymous, alice):
    unknown = anonymous.post(URL, {"email": "nobody@stmary.example", "password": PASSWORD})
    wrong = anonymous.post(URL, {"email": "alice@stmary.example", "password": "not it at all"})

    assert assert_problem(unknown, 401)["detail"] == assert_problem(wrong, 401)["detail"]
    assert AuditEvent.objects.filter(action=AuditAction.LOGIN_FAILED, actor=None).count() == 1


def test_it_refuses_an_inactive_user(anonymous, bob):
    User.objects.filter(pk=bob.pk).update(is_active=False)

    response = anonymous.post(URL, {"email": "bob@stmary.example", "password": PASSWORD})

    body = assert_problem(response, 401)
    assert body["type"] == "urn:heartmon:problem:authentication-failed"


def test_it_requires_the_otp_once_two_factor_is_on(anonymous, alice):
    TOTPDevice.objects.create(user=alice, name="app", confirmed=True)

    response = anonymous.post(URL, {"email": "alice@stmary.example", "password": PASSWORD})

    body = assert_problem(response, 401)
    assert body["type"] == "urn:heartmon:problem:otp-required"
    assert "otp" in body["detail"]
    assert AuditEvent.objects.get(action=AuditAction.LOGIN_FAILED).details == {
        "reason": "otp_required"
    }


def test_it_refuses_a_wrong_otp(anonymous, alice):
    device = TOTPDevice.objects.create(user=alice, name="app", confirmed=True)
    wrong = f"{(int(code_for(device)) + 1) % 10**6:06d}"

    response = anonymous.post(
        URL, {"email": "alice@stmary.example", "password": PASSWORD, "otp": wrong}
    )

    body = assert_problem(response, 401)
    assert body["type"] == "urn:heartmon:problem:otp-invalid"


def test_it_accepts_the_right_otp(anonymous, alice):
    device = TOTPDevice.objects.create(user=alice, name="app", confirmed=True)

    response = anonymous.post(
        URL, {"email": "alice@stmary.example", "password": PASSWORD, "otp": code_for(device)}
    )

    assert response.status_code == 200
    assert sorted(response.json()) == ["access", "refresh"]


def test_an_unconfirmed_authenticator_does_not_require_an_otp(anonymous, alice):
    TOTPDevice.objects.create(user=alice, name="app", confirmed=False)

    response = anonymous.post(URL, {"email": "alice@stmary.example", "password": PASSWORD})

    assert response.status_code == 200


def test_a_right_otp_does_not_rescue_a_wrong_password(anonymous, alice):
    device = TOTPDevice.objects.create(user=alice, name="app", confirmed=True)

    response = anonymous.post(
        URL, {"email": "alice@stmary.example", "password": "not it at all", "otp": code_for(device)}
    )

    assert_problem(response, 401)


def test_it_names_every_missing_field(anonymous):
    response = anonymous.post(URL, {})

    body = assert_problem(response, 400)
    assert sorted(body["errors"]) == ["email", "password"]


def test_it_rejects_a_malformed_otp(anonymous, alice):
    response = anonymous.post(
        URL, {"email": "alice@stmary.example", "password": PASSWORD, "otp": "12ab56"}
    )

    assert_problem(response, 400, field="otp")


def test_it_rejects_overlong_fields(anonymous):
    response = anonymous.post(URL, {"email": f"{'a' * 250}@x.example", "password": "p" * 129})

    body = assert_problem(response, 400)
    assert sorted(body["errors"]) == ["email", "password"]


def test_it_answers_bad_json_with_a_problem(anonymous):
    response = anonymous.post(URL, "{not json", content_type="application/json")

    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:parse-error"


def test_it_answers_a_get_with_a_405_problem(anonymous):
    response = anonymous.get(URL)

    assert_problem(response, 405)
