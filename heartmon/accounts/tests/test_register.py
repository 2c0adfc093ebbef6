import pytest
from django.conf import settings

from heartmon.accounts.models import Organization, User
from heartmon.accounts.testing import PASSWORD
from heartmon.accounts.tests.mail import link_in
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.roles import Role
from heartmon.core.testing import assert_problem
from heartmon.outbox.models import Message, Status

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/register/"
SIGN_UP = {
    "email": "Nora@Northwind.example",
    "password": PASSWORD,
    "first_name": "Nora",
    "last_name": "Reyes",
    "organization_name": "Northwind Cardiology",
    "phone": "+14155550123",
}


def register(client, capture, **changes):
    with capture(execute=True):
        return client.post(URL, {**SIGN_UP, **changes}, format="json")


def test_it_creates_an_organization_with_an_inactive_admin(
    anonymous, django_capture_on_commit_callbacks, sent
):
    response = register(anonymous, django_capture_on_commit_callbacks)

    assert response.status_code == 202
    assert response.json() == {"detail": "If the details are right, an e-mail is on its way."}
    user = User.objects.get(email="nora@northwind.example")
    assert user.organization.name == "Northwind Cardiology"
    assert user.role == Role.ADMIN
    assert not user.is_active
    assert user.check_password(PASSWORD)
    assert (user.first_name, user.last_name, user.phone) == ("Nora", "Reyes", "+14155550123")
    assert AuditEvent.objects.filter(action=AuditAction.REGISTERED, actor=user).exists()


def test_it_mails_an_activation_link(anonymous, django_capture_on_commit_callbacks, sent):
    register(anonymous, django_capture_on_commit_callbacks)

    [message] = sent()
    assert message.to == ["nora@northwind.example"]
    assert "Activate" in message.subject
    assert f"{settings.PUBLIC_URL}/activate?uid=" in message.body
    link = link_in(message, "activate")
    assert link["uid"]
    assert link["token"]
    assert "Northwind Cardiology" in message.body


def test_the_request_itself_sends_nothing_the_outbox_keeps_the_mail(
    anonymous, django_capture_on_commit_callbacks, mailoutbox
):
    """Tasks run in-process without a broker: the worker, not the request, sends."""
    register(anonymous, django_capture_on_commit_callbacks)

    assert mailoutbox == []
    message = Message.objects.get()
    assert (message.recipient, message.status) == ("nora@northwind.example", Status.PENDING)
    assert message.subject == "[heartmon] Activate your account"


def test_it_never_lets_the_client_choose_a_role_or_an_organization(
    anonymous, django_capture_on_commit_callbacks, org_a
):
    response = register(
        anonymous,
        django_capture_on_commit_callbacks,
        role=Role.NURSE,
        organization=str(org_a.pk),
        organization_id=str(org_a.pk),
        is_superuser=True,
        is_staff=True,
        is_active=True,
    )

    assert response.status_code == 202
    user = User.objects.get(email="nora@northwind.example")
    assert user.role == Role.ADMIN
    assert user.organization != org_a
    assert not (user.is_superuser)
    assert not (user.is_staff)
    assert not user.is_active
    assert org_a.users.count() == 0


def test_it_answers_the_same_for_a_taken_address_and_tells_its_owner(
    anonymous, django_capture_on_commit_callbacks, sent, alice
):
    organizations = Organization.objects.count()

    response = register(anonymous, django_capture_on_commit_callbacks, email="ALICE@stmary.example")

    assert response.status_code == 202
    assert response.json() == {"detail": "If the details are right, an e-mail is on its way."}
    assert Organization.objects.count() == organizations
    assert User.objects.count() == 1
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)
    assert alice.organization.name == "St Mary's Hospital"
    [message] = sent()
    assert message.to == ["alice@stmary.example"]
    assert "already has an active account" in message.body
    assert "/activate" not in message.body


def test_a_weak_password_is_refused_for_a_taken_address_too(
    anonymous, django_capture_on_commit_callbacks, sent, alice
):
    response = register(
        anonymous, django_capture_on_commit_callbacks, email=alice.email, password="12345678"
    )

    assert_problem(response, 400, field="password")
    assert sent() == []


def test_an_address_that_awaits_activation_gets_a_new_activation_link(
    anonymous, django_capture_on_commit_callbacks, sent
):
    register(anonymous, django_capture_on_commit_callbacks)
    sent().clear()

    response = register(anonymous, django_capture_on_commit_callbacks, organization_name="Other")

    assert response.status_code == 202
    [message] = sent()
    assert link_in(message, "activate")
    assert User.objects.count() == 1
    assert Organization.objects.get().name == "Northwind Cardiology"
    activated = anonymous.post("/api/v1/auth/activate/", link_in(message, "activate"))
    assert activated.status_code == 200


def test_a_taken_address_costs_the_same_password_hashing(
    anonymous, django_capture_on_commit_callbacks, alice, monkeypatch
):
    """Hashing dominates the time of a sign-up (Argon2 in production): both paths do it once."""
    from heartmon.accounts.services import signup

    hashed = []
    real = signup.make_password

    def counting(raw: str) -> str:
        hashed.append(raw)
        return real(raw)

    monkeypatch.setattr(signup, "make_password", counting)

    register(anonymous, django_capture_on_commit_callbacks, email=alice.email)
    register(anonymous, django_capture_on_commit_callbacks)

    assert hashed == [PASSWORD, PASSWORD]


def test_it_rejects_a_weak_password_and_creates_nothing(
    anonymous, django_capture_on_commit_callbacks, sent
):
    response = register(anonymous, django_capture_on_commit_callbacks, password="12345678")

    assert_problem(response, 400, field="password")
    assert not User.objects.exists()
    assert not Organization.objects.exists()
    assert sent() == []


def test_it_rejects_a_password_like_the_email_address(
    anonymous, django_capture_on_commit_callbacks
):
    response = register(
        anonymous, django_capture_on_commit_callbacks, password="nora@northwind.example"
    )

    assert_problem(response, 400, field="password")
    assert not User.objects.exists()


def test_it_names_every_missing_field(anonymous):
    response = anonymous.post(URL, {}, format="json")

    body = assert_problem(response, 400)
    assert sorted(body["errors"]) == [
        "email",
        "first_name",
        "last_name",
        "organization_name",
        "password",
    ]


def test_it_rejects_overlong_fields(anonymous):
    response = anonymous.post(
        URL,
        {
            **SIGN_UP,
            "first_name": "x" * 151,
            "organization_name": "x" * 201,
            "password": "p" * 129,
            "email": f"{'a' * 250}@example.com",
        },
        format="json",
    )

    body = assert_problem(response, 400)
    assert {"first_name", "organization_name", "password", "email"} <= set(body["errors"])
    assert not User.objects.exists()


def test_it_rejects_a_phone_number_not_in_e164_form(anonymous):
    response = anonymous.post(URL, {**SIGN_UP, "phone": "0415 555"}, format="json")

    assert_problem(response, 400, field="phone")


def test_it_answers_bad_json_with_a_problem(anonymous):
    response = anonymous.post(URL, '{"email": "nora@', content_type="application/json")

    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:parse-error"
    assert not User.objects.exists()
