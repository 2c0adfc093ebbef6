"""The pages the account e-mails link to open at the very addresses the e-mails carry, and a link
that cannot be followed gets a page saying why and what to do."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from heartmon.accounts.emails import send_activation, send_invitation, send_password_reset
from heartmon.accounts.models import User
from heartmon.outbox.delivery import deliver_due

pytestmark = pytest.mark.django_db


def emailed_path(settings, name: str) -> str:
    """The link of the last e-mail (once the outbox has delivered it), as a path on this site."""
    deliver_due()
    body = str(mail.outbox[-1].body)
    url = re.search(rf"{re.escape(settings.PUBLIC_URL)}(/{name}\?uid=\S+&token=\S+)", body)
    assert url, body
    return url.group(1)


@pytest.fixture
def newcomer(alice):
    return User.objects.create_user(
        email="nia@stmary.example",
        password=None,
        organization=alice.organization,
        role="nurse",
        first_name="Nia",
        last_name="Ade",
        is_active=False,
    )


def test_the_activation_link_opens_a_page_that_activates_with_the_api(settings, alice, newcomer):
    send_activation(newcomer)
    path = emailed_path(settings, "activate")

    response = Client().get(path)

    assert response.status_code == 200
    assert b"Activate my account" in response.content
    assert b'data-api="/api/v1/auth/activate/"' in response.content
    newcomer.refresh_from_db()
    assert not newcomer.is_active  # opening the page uses nothing up


def test_a_used_activation_link_says_the_account_is_active(settings, newcomer):
    send_activation(newcomer)
    path = emailed_path(settings, "activate")
    newcomer.is_active = True
    newcomer.save()

    response = Client().get(path)

    assert response.status_code == 410
    assert b"already active" in response.content
    assert b'data-link-problem="used"' in response.content


def test_an_expired_invitation_says_to_ask_for_a_new_one(settings, alice, newcomer):
    send_invitation(newcomer, inviter="Alice Tester")
    path = emailed_path(settings, "accept-invite")

    with time_machine.travel(timezone.now() + timedelta(days=8)):
        response = Client().get(path)

    assert response.status_code == 410
    assert b"This invitation has expired" in response.content
    assert b"send a new invitation" in response.content


def test_an_invitation_link_opens_the_password_form(settings, newcomer):
    send_invitation(newcomer, inviter="Alice Tester")

    response = Client().get(emailed_path(settings, "accept-invite"))

    assert response.status_code == 200
    assert b'name="password"' in response.content
    assert b'data-api="/api/v1/auth/invitation/accept/"' in response.content


def test_a_damaged_link_is_invalid_and_says_to_copy_the_whole_link(newcomer):
    response = Client().get("/accept-invite?uid=abc&token=xyz")

    assert response.status_code == 400
    assert b"Copy the whole link" in response.content


def test_the_reset_link_opens_the_new_password_form(settings, bob):
    send_password_reset(bob)

    response = Client().get(emailed_path(settings, "reset-password"))

    assert response.status_code == 200
    assert b'name="new_password"' in response.content
    assert b'name="code"' not in response.content


def test_a_used_reset_link_says_so_and_offers_a_new_one(settings, bob):
    send_password_reset(bob)
    path = emailed_path(settings, "reset-password")
    bob.set_password("another long passphrase")
    bob.save()

    response = Client().get(path)

    assert response.status_code == 410
    assert b"already used" in response.content
    assert b'data-api="/api/v1/auth/password/reset/"' in response.content


def test_the_reset_page_without_a_link_asks_for_the_e_mail_or_the_code(db):
    response = Client().get("/reset-password")

    assert response.status_code == 200
    assert b'data-api="/api/v1/auth/password/reset/"' in response.content
    assert b'name="code"' in response.content


def test_the_registration_page_sends_its_form_to_the_api(db):
    response = Client().get("/register")

    assert response.status_code == 200
    assert b'data-api="/api/v1/auth/register/"' in response.content
    assert "csrftoken" in response.cookies


def test_an_expired_activation_link_offers_a_new_one(settings, newcomer):
    send_activation(newcomer)
    path = emailed_path(settings, "activate")

    with time_machine.travel(timezone.now() + timedelta(days=4)):
        response = Client().get(path)

    assert response.status_code == 410
    assert b"This activation link has expired" in response.content
    assert b'data-api="/api/v1/auth/activate/resend/"' in response.content
