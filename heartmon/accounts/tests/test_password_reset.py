from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from heartmon.accounts.testing import PASSWORD
from heartmon.accounts.tests.mail import code_in, link_in
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem

pytestmark = pytest.mark.django_db

REQUEST = "/api/v1/auth/password/reset/"
CONFIRM = "/api/v1/auth/password/reset/confirm/"
NEW_PASSWORD = "atrial flutter in june"
ACCEPTED = {"detail": "If the details are right, an e-mail is on its way."}


@pytest.fixture
def reset_mail(anonymous, bob, django_capture_on_commit_callbacks, sent):
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(REQUEST, {"email": "Bob@StMary.example"})
    assert response.status_code == 202
    return sent()[-1]


def by_link(message, password: str = NEW_PASSWORD) -> dict[str, str]:
    return {**link_in(message, "reset-password"), "new_password": password}


def by_code(code: str, password: str = NEW_PASSWORD) -> dict[str, str]:
    return {"email": "bob@stmary.example", "code": code, "new_password": password}


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_it_mails_a_link_and_a_six_digit_code(reset_mail, bob):
    assert reset_mail.to == ["bob@stmary.example"]
    assert f"{settings.PUBLIC_URL}/reset-password?uid=" in reset_mail.body
    assert link_in(reset_mail, "reset-password")["uid"]
    assert len(code_in(reset_mail)) == 6
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET_REQUESTED)
    assert event.actor == bob


def test_an_unknown_address_gets_the_same_answer_and_one_mail_with_no_link(
    anonymous, django_capture_on_commit_callbacks, sent, bob
):
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(REQUEST, {"email": "Nobody@stmary.example"})

    assert response.status_code == 202
    assert response.json() == ACCEPTED
    [message] = sent()
    assert message.to == ["nobody@stmary.example"]
    assert "no heartmon account uses it" in message.body
    assert "reset-password?" not in message.body
    event = AuditEvent.objects.get()
    assert (event.action, event.actor, event.object_id) == (
        AuditAction.PASSWORD_RESET_REQUESTED,
        None,
        "",
    )


def test_a_deactivated_account_is_told_to_ask_its_admin(
    anonymous, django_capture_on_commit_callbacks, sent, bob
):
    bob.is_active = False
    bob.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(REQUEST, {"email": "bob@stmary.example"})

    assert response.json() == ACCEPTED
    [message] = sent()
    assert "Ask an admin" in message.body
    assert "reset-password?" not in message.body
    assert "/activate?" not in message.body


def test_an_account_awaiting_activation_gets_a_new_activation_link(
    anonymous, django_capture_on_commit_callbacks, sent, bob
):
    """Lost activation e-mails no longer make an address unusable."""
    bob.is_active = False
    bob.activated_at = None
    bob.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(REQUEST, {"email": "bob@stmary.example"})

    assert response.json() == ACCEPTED
    activated = anonymous.post("/api/v1/auth/activate/", link_in(sent()[-1], "activate"))
    assert activated.status_code == 200
    bob.refresh_from_db()
    assert bob.is_active


def test_it_resets_the_password_by_link(anonymous, reset_mail, bob):
    response = anonymous.post(CONFIRM, by_link(reset_mail))

    assert response.status_code == 204
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET)
    assert event.actor == bob
    assert event.details == {"method": "link"}


def test_it_resets_the_password_by_code(anonymous, reset_mail, bob):
    response = anonymous.post(CONFIRM, by_code(code_in(reset_mail)))

    assert response.status_code == 204
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET).details == {"method": "code"}


def test_a_reset_signs_out_every_session(anonymous, bob, django_capture_on_commit_callbacks, sent):
    tokens = anonymous.post(
        "/api/v1/auth/token/", {"email": "bob@stmary.example", "password": PASSWORD}
    ).json()
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(REQUEST, {"email": "bob@stmary.example"})

    anonymous.post(CONFIRM, by_link(sent()[-1]))

    refreshed = APIClient().post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]})
    assert_problem(refreshed, 401)


def test_it_rejects_a_reused_link(anonymous, reset_mail, bob):
    anonymous.post(CONFIRM, by_link(reset_mail))

    response = anonymous.post(CONFIRM, by_link(reset_mail, "yet another long phrase"))

    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:link-used"
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)


def test_it_rejects_an_expired_link(anonymous, reset_mail, bob):
    later = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later):
        response = anonymous.post(CONFIRM, by_link(reset_mail))

    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:link-expired"
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)


def test_it_rejects_a_reused_code(anonymous, reset_mail, bob):
    anonymous.post(CONFIRM, by_code(code_in(reset_mail)))

    response = anonymous.post(CONFIRM, by_code(code_in(reset_mail), "yet another long phrase"))

    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:code-invalid"
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)


def test_resetting_by_link_kills_the_code(anonymous, reset_mail, bob):
    anonymous.post(CONFIRM, by_link(reset_mail))

    response = anonymous.post(CONFIRM, by_code(code_in(reset_mail), "yet another long phrase"))

    assert_problem(response, 400)
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)


def test_resetting_by_code_kills_the_link(anonymous, reset_mail, bob):
    anonymous.post(CONFIRM, by_code(code_in(reset_mail)))

    response = anonymous.post(CONFIRM, by_link(reset_mail, "yet another long phrase"))

    assert_problem(response, 400)
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)


@pytest.fixture
def local_cache(settings):
    """Time travel moves Django's clock, not a Redis server's: expiry is checked on locmem."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_the_code_works_until_ten_minutes_have_passed(local_cache, anonymous, reset_mail, bob):
    with time_machine.travel(timezone.now() + timedelta(minutes=9, seconds=50)):
        response = anonymous.post(CONFIRM, by_code(code_in(reset_mail)))

    assert response.status_code == 204


def test_the_code_expires_after_ten_minutes(local_cache, anonymous, reset_mail, bob):
    with time_machine.travel(timezone.now() + timedelta(minutes=10, seconds=1)):
        response = anonymous.post(CONFIRM, by_code(code_in(reset_mail)))

    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:code-invalid"
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)


def test_four_wrong_codes_leave_the_right_one_working(anonymous, reset_mail, bob):
    code = code_in(reset_mail)
    for _ in range(4):
        assert_problem(anonymous.post(CONFIRM, by_code(wrong(code))), 400)

    response = anonymous.post(CONFIRM, by_code(code))

    assert response.status_code == 204


def test_five_wrong_codes_kill_the_code(anonymous, reset_mail, bob):
    code = code_in(reset_mail)
    answers = [anonymous.post(CONFIRM, by_code(wrong(code))) for _ in range(5)]

    response = anonymous.post(CONFIRM, by_code(code))

    assert "Too many wrong codes" in assert_problem(answers[-1], 400)["detail"]
    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:code-invalid"
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)


def test_a_new_request_replaces_the_code(
    anonymous, reset_mail, bob, django_capture_on_commit_callbacks, sent
):
    first = code_in(reset_mail)
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(REQUEST, {"email": "bob@stmary.example"})
    second = code_in(sent()[-1])
    if first == second:
        pytest.skip("both codes happened to be equal")

    assert_problem(anonymous.post(CONFIRM, by_code(first)), 400)
    assert anonymous.post(CONFIRM, by_code(second)).status_code == 204


def test_a_weak_password_is_refused_without_spending_the_code(anonymous, reset_mail, bob):
    code = code_in(reset_mail)

    refused = anonymous.post(CONFIRM, by_code(code, "password"))
    response = anonymous.post(CONFIRM, by_code(code))

    assert_problem(refused, 400, field="new_password")
    assert response.status_code == 204


def test_a_weak_password_is_refused_by_link(anonymous, reset_mail, bob):
    response = anonymous.post(CONFIRM, by_link(reset_mail, "12345678901"))

    assert_problem(response, 400, field="new_password")
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)


def test_a_code_for_an_unknown_address_is_refused(anonymous, reset_mail):
    response = anonymous.post(
        CONFIRM, {**by_code(code_in(reset_mail)), "email": "nobody@stmary.example"}
    )

    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:code-invalid"


def test_it_wants_either_a_link_or_a_code(anonymous, reset_mail):
    both = {**by_link(reset_mail), **by_code(code_in(reset_mail))}

    assert_problem(anonymous.post(CONFIRM, both), 400, field="non_field_errors")
    assert_problem(
        anonymous.post(CONFIRM, {"new_password": NEW_PASSWORD}), 400, field="non_field_errors"
    )


def test_it_rejects_a_malformed_code(anonymous, reset_mail):
    response = anonymous.post(CONFIRM, by_code("12345"))

    assert_problem(response, 400, field="code")


def test_the_request_names_the_missing_email(anonymous):
    assert_problem(anonymous.post(REQUEST, {}), 400, field="email")


def test_the_request_rejects_an_overlong_email(anonymous):
    assert_problem(anonymous.post(REQUEST, {"email": f"{'a' * 250}@x.example"}), 400, field="email")
