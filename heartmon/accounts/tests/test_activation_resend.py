"""POST /api/v1/auth/activate/resend/: a lost activation e-mail no longer makes an address
unusable; every address gets the same answer, and only an account awaiting activation a link."""

import pytest
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from heartmon.accounts.models import User
from heartmon.accounts.testing import PASSWORD
from heartmon.accounts.tests.mail import link_in
from heartmon.core.testing import assert_problem
from heartmon.outbox.models import Message

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/activate/resend/"
ANSWER = {"detail": "If the details are right, an e-mail is on its way."}


@pytest.fixture
def nora(anonymous, sent) -> User:
    """Registered; her activation e-mail was lost."""
    anonymous.post(
        "/api/v1/auth/register/",
        {
            "email": "nora@northwind.example",
            "password": PASSWORD,
            "first_name": "Nora",
            "last_name": "Reyes",
            "organization_name": "Northwind Cardiology",
        },
    )
    sent().clear()
    return User.objects.get(email="nora@northwind.example")


def ask(client: APIClient, email: str):
    response = client.post(URL, {"email": email})
    assert response.status_code == 202, response.content
    assert response.json() == ANSWER
    return response


def test_an_account_awaiting_activation_gets_a_new_link_that_works(anonymous, nora, sent):
    ask(anonymous, "Nora@Northwind.example")

    [message] = sent()
    assert message.to == ["nora@northwind.example"]
    assert anonymous.post("/api/v1/auth/activate/", link_in(message, "activate")).status_code == 200
    nora.refresh_from_db()
    assert nora.is_active


def test_an_unknown_address_gets_the_same_answer_and_no_link(anonymous, sent):
    ask(anonymous, "nobody@northwind.example")

    [message] = sent()
    assert "no heartmon account uses it" in message.body
    assert "/activate?" not in message.body


def test_an_active_account_is_told_to_sign_in(anonymous, bob, sent):
    ask(anonymous, bob.email)

    [message] = sent()
    assert "already has an active account" in message.body
    assert "/activate?" not in message.body


def test_a_user_deactivated_by_an_admin_cannot_reactivate_themselves(
    anonymous, as_alice, bob, sent
):
    as_alice.post(f"/api/v1/users/{bob.pk}/deactivate/")

    ask(anonymous, bob.email)

    [message] = sent()
    assert "/activate?" not in message.body
    assert "Ask an admin" in message.body
    bob.refresh_from_db()
    assert not bob.is_active


def test_an_invitee_is_sent_to_the_admin_not_given_an_activation_link(anonymous, as_alice, sent):
    as_alice.post(
        "/api/v1/users/",
        {"email": "erin@stmary.example", "first_name": "E", "last_name": "C", "role": "nurse"},
    )
    sent().clear()

    ask(anonymous, "erin@stmary.example")

    [message] = sent()
    assert "/activate?" not in message.body
    assert "invitation" in message.body


def test_it_is_throttled_per_address_whatever_the_client_address(nora, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "mail_address", "3/hour")
    for number in range(2):  # the registration was the first of three
        ask(APIClient(REMOTE_ADDR=f"10.9.0.{number}"), nora.email)

    response = APIClient(REMOTE_ADDR="10.9.0.99").post(URL, {"email": nora.email})

    assert_problem(response, 429)
    assert Message.objects.count() == 3


def test_it_is_throttled_per_client_address(nora, monkeypatch):
    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anonymous_mail", "2/hour")
    client = APIClient(REMOTE_ADDR="10.9.1.1")
    for number in range(2):
        ask(client, f"someone{number}@northwind.example")

    assert_problem(client.post(URL, {"email": nora.email}), 429)


@pytest.mark.parametrize("body", [{}, {"email": "not an address"}, {"email": "x" * 300}])
def test_bad_input_is_refused_and_nothing_sent(anonymous, body):
    assert_problem(anonymous.post(URL, body), 400, field="email")
    assert not Message.objects.exists()
