"""POST /api/v1/users/{id}/resend-invitation/: a fresh link for someone who has not accepted."""

import pytest

from heartmon.accounts.testing import make_user
from heartmon.accounts.tests.mail import link_in
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.roles import Role
from heartmon.core.testing import assert_problem


@pytest.fixture
def invitee(org_a):
    invitee = make_user(org_a, "new@stmary.example", Role.DOCTOR, is_active=False)
    invitee.set_unusable_password()  # has not accepted the invitation yet
    invitee.save()
    return invitee


@pytest.fixture
def resend(django_capture_on_commit_callbacks):
    def resend(client, user):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"/api/v1/users/{user.pk}/resend-invitation/")

    return resend


def test_it_mails_a_new_invitation_link(resend, as_alice, alice, invitee, sent):
    response = resend(as_alice, invitee)

    assert response.status_code == 202
    assert response.json() == {"detail": "Invitation sent."}
    (message,) = sent()
    assert message.to == [invitee.email]
    assert link_in(message, "accept-invite")["uid"]


def test_the_new_link_works(resend, as_alice, alice, invitee, sent, anonymous):
    resend(as_alice, invitee)
    link = link_in(sent()[0], "accept-invite")

    response = anonymous.post(
        "/api/v1/auth/invitation/accept/", {**link, "password": "a brand new passphrase"}
    )

    assert response.status_code == 200, response.content
    invitee.refresh_from_db()
    assert invitee.is_active


def test_it_records_the_resent_invitation(resend, as_alice, alice, invitee):
    resend(as_alice, invitee)

    event = AuditEvent.objects.get(action=AuditAction.USER_INVITED)
    assert (event.actor, event.object_id) == (alice, str(invitee.pk))
    assert event.details == {"role": "doctor", "resent": True}


def test_someone_who_accepted_is_a_conflict(resend, as_alice, alice, bob, sent):
    assert_problem(resend(as_alice, bob), 409)
    assert sent() == []
    assert not AuditEvent.objects.exists()


def test_a_nurse_may_not_resend(resend, as_bob, invitee, sent):
    assert_problem(resend(as_bob, invitee), 403)
    assert sent() == []


def test_charlie_gets_a_404_for_org_as_invitee(resend, as_charlie, invitee, sent):
    assert_problem(resend(as_charlie, invitee), 404)
    assert sent() == []


def test_get_is_not_allowed(as_alice, alice, invitee):
    assert_problem(as_alice.get(f"/api/v1/users/{invitee.pk}/resend-invitation/"), 405)
