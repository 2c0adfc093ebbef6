from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from heartmon.accounts.models import User
from heartmon.accounts.tests.mail import link_in
from heartmon.accounts.tokens import activation_link
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/invitation/accept/"
NEW_PASSWORD = "tachycardia on a tuesday"


@pytest.fixture
def link(as_alice, django_capture_on_commit_callbacks, sent) -> dict[str, str]:
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(
            "/api/v1/users/",
            {
                "email": "erin@stmary.example",
                "first_name": "Erin",
                "last_name": "Cole",
                "role": "doctor",
            },
            format="json",
        )
    assert response.status_code == 202, response.content
    return link_in(sent()[-1], "accept-invite")


def erin() -> User:
    return User.objects.get(email="erin@stmary.example")


def test_the_invitation_mail_has_a_link_and_no_password(link, sent):
    [message] = sent()

    assert message.to == ["erin@stmary.example"]
    assert f"{settings.PUBLIC_URL}/accept-invite?uid=" in message.body
    assert "Alice Tester" in message.body
    assert "doctor" in message.body
    assert "password" not in message.body.replace("Choose your password", "")
    assert not erin().is_active
    assert not erin().has_usable_password()


def test_the_invitation_is_audited(link, alice):
    event = AuditEvent.objects.get(action=AuditAction.USER_INVITED)

    assert event.actor == alice
    assert event.organization == alice.organization
    assert event.object_id == str(erin().pk)
    assert event.details == {"role": "doctor"}


def test_accepting_sets_the_password_and_activates(anonymous, link, alice):
    response = anonymous.post(URL, {**link, "password": NEW_PASSWORD}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "erin@stmary.example"
    assert body["role"] == "doctor"
    assert body["organization"]["id"] == str(alice.organization_id)
    user = erin()
    assert user.is_active
    assert user.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(action=AuditAction.INVITATION_ACCEPTED, actor=user).exists()
    signed_in = anonymous.post(
        "/api/v1/auth/token/",
        {"email": "erin@stmary.example", "password": NEW_PASSWORD},
        format="json",
    )
    assert signed_in.status_code == 200


def test_it_rejects_a_weak_password(anonymous, link):
    response = anonymous.post(URL, {**link, "password": "password"}, format="json")

    body = assert_problem(response, 400, field="password")
    assert body["type"] == "urn:heartmon:problem:validation-error"
    assert not erin().is_active
    assert not erin().has_usable_password()


def test_it_rejects_an_all_numeric_password(anonymous, link):
    response = anonymous.post(URL, {**link, "password": "4815162342108"}, format="json")

    assert_problem(response, 400, field="password")
    assert not erin().is_active


def test_it_rejects_a_reused_invitation_link(anonymous, link):
    anonymous.post(URL, {**link, "password": NEW_PASSWORD}, format="json")

    response = anonymous.post(URL, {**link, "password": "another long passphrase"}, format="json")

    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:link-used"
    assert erin().check_password(NEW_PASSWORD)


def test_it_rejects_an_expired_invitation_link(anonymous, link):
    later = timezone.now() + timedelta(seconds=settings.INVITATION_TIMEOUT + 60)
    with time_machine.travel(later):
        response = anonymous.post(URL, {**link, "password": NEW_PASSWORD}, format="json")

    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:link-expired"
    assert not erin().is_active


def test_an_activation_link_does_not_accept_an_invitation(anonymous, link):
    forged = {"uid": link["uid"], "token": activation_link.make_token(erin())}
    response = anonymous.post(URL, {**forged, "password": NEW_PASSWORD}, format="json")

    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:link-invalid"
    assert not erin().is_active


def test_it_names_every_missing_field(anonymous):
    response = anonymous.post(URL, {}, format="json")

    body = assert_problem(response, 400)
    assert sorted(body["errors"]) == ["password", "token", "uid"]


def test_it_rejects_an_overlong_password(anonymous, link):
    response = anonymous.post(URL, {**link, "password": "long " * 30}, format="json")

    assert_problem(response, 400, field="password")
    assert not erin().is_active
