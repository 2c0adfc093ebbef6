from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone

from heartmon.accounts.models import User
from heartmon.accounts.testing import PASSWORD
from heartmon.accounts.tests.mail import link_in
from heartmon.accounts.tokens import activation_link
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/activate/"


@pytest.fixture
def link(anonymous, django_capture_on_commit_callbacks, sent) -> dict[str, str]:
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post(
            "/api/v1/auth/register/",
            {
                "email": "nora@northwind.example",
                "password": PASSWORD,
                "first_name": "Nora",
                "last_name": "Reyes",
                "organization_name": "Northwind Cardiology",
            },
            format="json",
        )
    return link_in(sent()[-1], "activate")


def nora() -> User:
    return User.objects.get(email="nora@northwind.example")


def test_it_activates_the_account_from_the_mailed_link(anonymous, link):
    response = anonymous.post(URL, link, format="json")

    assert response.status_code == 200
    body = response.json()
    assert body["email"] == "nora@northwind.example"
    assert body["role"] == "admin"
    assert body["organization"]["name"] == "Northwind Cardiology"
    assert nora().is_active
    assert AuditEvent.objects.filter(action=AuditAction.ACTIVATED, actor=nora()).exists()


def test_the_activated_account_can_sign_in(anonymous, link):
    before = anonymous.post(
        "/api/v1/auth/token/",
        {"email": "nora@northwind.example", "password": PASSWORD},
        format="json",
    )
    anonymous.post(URL, link, format="json")
    after = anonymous.post(
        "/api/v1/auth/token/",
        {"email": "nora@northwind.example", "password": PASSWORD},
        format="json",
    )

    assert_problem(before, 401)
    assert after.status_code == 200


def test_it_rejects_a_reused_activation_link(anonymous, link):
    anonymous.post(URL, link, format="json")

    response = anonymous.post(URL, link, format="json")

    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:link-used"
    assert "already active" in body["detail"]


def test_it_rejects_an_expired_activation_link(anonymous, link):
    later = timezone.now() + timedelta(seconds=settings.ACTIVATION_TIMEOUT + 60)
    with time_machine.travel(later):
        response = anonymous.post(URL, link, format="json")

    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:link-expired"
    assert not nora().is_active


def test_it_accepts_a_link_just_before_it_expires(anonymous, link):
    later = timezone.now() + timedelta(seconds=settings.ACTIVATION_TIMEOUT - 60)
    with time_machine.travel(later):
        response = anonymous.post(URL, link, format="json")

    assert response.status_code == 200
    assert nora().is_active


def test_it_rejects_a_tampered_token(anonymous, link):
    token = link["token"][:-1] + ("A" if link["token"][-1] != "A" else "B")

    response = anonymous.post(URL, {**link, "token": token}, format="json")

    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:link-invalid"
    assert not nora().is_active


def test_it_rejects_a_garbled_uid(anonymous, link):
    response = anonymous.post(URL, {**link, "uid": "not-a-uid"}, format="json")

    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:link-invalid"


def test_it_rejects_a_token_pointed_at_someone_else(anonymous, link, alice):
    alice.is_active = False
    alice.save()

    response = anonymous.post(URL, {**link, "uid": activation_link.uid(alice)}, format="json")

    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:link-invalid"
    alice.refresh_from_db()
    assert not alice.is_active


def test_it_names_the_missing_fields(anonymous):
    response = anonymous.post(URL, {}, format="json")

    body = assert_problem(response, 400)
    assert sorted(body["errors"]) == ["token", "uid"]


def test_it_rejects_an_overlong_token(anonymous, link):
    response = anonymous.post(URL, {**link, "token": "x" * 129}, format="json")

    assert_problem(response, 400, field="token")
