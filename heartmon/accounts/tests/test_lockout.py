"""Nobody can keep an account locked: a lock holds the account from the attacking address only,
attempts during it do not extend it, a completed password reset lifts it and admins can lift it."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from heartmon.accounts.testing import PASSWORD
from heartmon.accounts.tests.mail import link_in
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem

pytestmark = pytest.mark.django_db

TOKEN = "/api/v1/auth/token/"
RIGHT = {"email": "bob@stmary.example", "password": PASSWORD}
WRONG = {"email": "bob@stmary.example", "password": "guessing again"}


@pytest.fixture(autouse=True)
def _no_throttles(monkeypatch):
    for scope in ("login_ip", "login_account"):
        monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, scope, "1000/min")


@pytest.fixture
def attacker() -> APIClient:
    return APIClient(REMOTE_ADDR="203.0.113.66")


def lock(client: APIClient) -> None:
    answers = [client.post(TOKEN, WRONG).status_code for _ in range(10)]
    assert answers[-1] == 429


def test_the_owner_signs_in_from_another_address_during_a_lock(attacker, bob):
    lock(attacker)

    assert_problem(attacker.post(TOKEN, RIGHT), 429)
    assert APIClient(REMOTE_ADDR="198.51.100.7").post(TOKEN, RIGHT).status_code == 200


def test_a_forged_forwarded_for_header_buys_no_fresh_attempts(attacker, bob):
    lock(attacker)

    response = attacker.post(TOKEN, RIGHT, HTTP_X_FORWARDED_FOR="192.0.2.1")

    assert_problem(response, 429)


def test_attempts_during_a_lock_do_not_extend_it(attacker, bob):
    lock(attacker)
    start = timezone.now()  # after the lock began: locking takes seconds on a loaded machine

    with time_machine.travel(start + timedelta(minutes=10)):
        for _ in range(20):
            attacker.post(TOKEN, WRONG)
        during = attacker.post(TOKEN, RIGHT)
    with time_machine.travel(start + timedelta(minutes=15, seconds=5)):
        after = attacker.post(TOKEN, RIGHT)

    assert_problem(during, 429)
    assert 240 <= int(during["Retry-After"]) <= 300
    assert "5 more minutes" in during.json()["detail"]
    assert after.status_code == 200


def test_the_lock_duration_is_a_setting(attacker, bob, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=2)
    lock(attacker)
    start = timezone.now()

    with time_machine.travel(start + timedelta(minutes=1)):
        assert_problem(attacker.post(TOKEN, RIGHT), 429)
    with time_machine.travel(start + timedelta(minutes=2, seconds=5)):
        assert attacker.post(TOKEN, RIGHT).status_code == 200


def test_a_completed_password_reset_unlocks(attacker, anonymous, bob, sent):
    lock(attacker)
    anonymous.post("/api/v1/auth/password/reset/", {"email": bob.email})
    link = link_in(sent()[-1], "reset-password")

    anonymous.post(
        "/api/v1/auth/password/reset/confirm/", {**link, "new_password": "a fresh passphrase"}
    )

    response = attacker.post(TOKEN, {"email": bob.email, "password": "a fresh passphrase"})
    assert response.status_code == 200


def test_an_admin_unlocks_a_user_of_their_organization(attacker, as_alice, alice, bob):
    lock(attacker)

    response = as_alice.post(f"/api/v1/users/{bob.pk}/unlock/")

    assert response.status_code == 204
    assert attacker.post(TOKEN, RIGHT).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.USER_UNLOCKED)
    assert (event.actor, event.object_id, event.details) == (alice, str(bob.pk), {"cleared": 1})


def test_another_organization_cannot_unlock_and_a_doctor_may_not(
    attacker, as_charlie, as_dana, bob
):
    lock(attacker)

    assert_problem(as_charlie.post(f"/api/v1/users/{bob.pk}/unlock/"), 404)
    assert_problem(as_dana.post(f"/api/v1/users/{bob.pk}/unlock/"), 403)
    assert_problem(attacker.post(TOKEN, RIGHT), 429)
    assert not AuditEvent.objects.filter(action=AuditAction.USER_UNLOCKED).exists()
