"""POST /api/v1/users/: an admin invites a person, who gets an e-mailed link (never a password)."""

import pytest
from django.conf import settings

from heartmon.accounts.models import User
from heartmon.accounts.testing import client_for
from heartmon.accounts.tests.mail import link_in
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem

URL = "/api/v1/users/"
ANSWER = {"detail": "An e-mail is on its way to this address."}
DAVE = {
    "email": "Dave@StMary.example",
    "first_name": "Dave",
    "last_name": "Okafor",
    "role": "doctor",
}


@pytest.fixture
def invite(as_alice, django_capture_on_commit_callbacks):
    def invite(client=as_alice, **changes):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, {**DAVE, **changes})

    return invite


def test_it_creates_an_inactive_user_in_the_admins_organization(invite, alice, org_a):
    response = invite()

    assert response.status_code == 202, response.content
    assert response.json() == ANSWER
    dave = User.objects.get(email="dave@stmary.example")
    assert dave.organization == org_a
    assert dave.role == "doctor"
    assert not dave.is_active
    assert not dave.has_usable_password()
    assert not dave.is_superuser
    assert not dave.is_staff


def test_it_mails_an_invitation_link_and_no_password(invite, alice, sent):
    invite()

    (message,) = sent()
    assert message.to == ["dave@stmary.example"]
    assert "St Mary's Hospital" in message.body
    assert "doctor" in message.body
    assert f"{settings.PUBLIC_URL}/accept-invite?uid=" in message.body
    assert "password:" not in message.body.lower()
    assert link_in(message, "accept-invite")


def test_the_link_lets_the_invitee_choose_a_password_and_sign_in(invite, alice, sent, anonymous):
    invite()
    link = link_in(sent()[0], "accept-invite")

    accepted = anonymous.post(
        "/api/v1/auth/invitation/accept/", {**link, "password": "a brand new passphrase"}
    )
    token = anonymous.post(
        "/api/v1/auth/token/",
        {"email": "dave@stmary.example", "password": "a brand new passphrase"},
    )

    assert accepted.status_code == 200, accepted.content
    assert token.status_code == 200, token.content
    assert User.objects.get(email="dave@stmary.example").is_active


def test_it_records_the_invitation_in_the_audit_trail(invite, alice, org_a):
    invite()

    event = AuditEvent.objects.get(action=AuditAction.USER_INVITED)
    assert event.actor == alice
    assert event.organization == org_a
    assert event.object_id == str(User.objects.get(email="dave@stmary.example").pk)
    assert event.details == {"role": "doctor"}


def test_the_client_cannot_pick_another_organization(invite, alice, org_a, org_b):
    response = invite(organization=str(org_b.pk), organization_id=str(org_b.pk))

    assert response.status_code == 202
    assert User.objects.get(email="dave@stmary.example").organization == org_a


def test_the_client_cannot_invite_a_superuser_or_staff(invite, alice):
    response = invite(is_superuser=True, is_staff=True, is_active=True, password="chosen pass")

    assert response.status_code == 202
    dave = User.objects.get(email="dave@stmary.example")
    assert (dave.is_superuser, dave.is_staff, dave.is_active) == (False, False, False)
    assert not dave.has_usable_password()


@pytest.mark.parametrize("role", ["superuser", "owner", "", "ADMIN"])
def test_a_role_outside_the_choices_is_refused(invite, alice, role, sent):
    assert_problem(invite(role=role), 400, field="role")
    assert not User.objects.filter(email="dave@stmary.example").exists()
    assert sent() == []


@pytest.mark.parametrize("field", ["email", "first_name", "last_name", "role"])
def test_a_missing_field_is_refused(as_alice, alice, field):
    body = {key: value for key, value in DAVE.items() if key != field}

    assert_problem(as_alice.post(URL, body), 400, field=field)


def test_overlong_fields_are_refused(invite, alice):
    body = assert_problem(invite(first_name="x" * 151, email="a" * 250 + "@x.example"), 400)

    assert {"first_name", "email"} <= set(body["errors"])


def test_an_address_of_the_organization_is_a_conflict_whatever_its_case(invite, alice, bob, sent):
    assert_problem(invite(email="BOB@stmary.example"), 409, field="email")
    assert sent() == []


def test_an_address_with_an_account_elsewhere_answers_the_same_and_tells_its_owner(
    invite, alice, charlie, sent
):
    response = invite(email="Charlie@Riverside.example")

    assert response.status_code == 202
    assert response.json() == ANSWER
    charlie.refresh_from_db()
    assert (charlie.organization.name, charlie.role, charlie.is_active) == (
        "Riverside Clinic",
        "admin",
        True,
    )
    [message] = sent()
    assert message.to == ["charlie@riverside.example"]
    assert "St Mary's Hospital" in message.body
    assert "already has a heartmon account" in message.body
    assert "accept-invite" not in message.body
    assert User.objects.filter(organization=alice.organization).count() == 1


def test_a_nurse_may_not_invite(invite, as_bob, sent):
    assert_problem(invite(client=as_bob), 403)
    assert not User.objects.filter(email="dave@stmary.example").exists()
    assert sent() == []


def test_charlie_invites_into_his_own_organization_only(invite, as_charlie, org_b):
    assert invite(client=as_charlie).status_code == 202
    assert User.objects.get(email="dave@stmary.example").organization == org_b


def test_malformed_json_is_a_problem(as_alice, alice):
    response = as_alice.generic("POST", URL, "{not json", content_type="application/json")

    assert_problem(response, 400)


def test_a_superuser_without_an_organization_is_sent_to_the_admin(invite, sent):
    root = User.objects.create_superuser(
        email="root@heartmon.example", password="x", first_name="Root", last_name="User"
    )

    assert_problem(invite(client=client_for(root)), 409)
    assert not User.objects.filter(email="dave@stmary.example").exists()
    assert sent() == []
