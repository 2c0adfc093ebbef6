import pytest

from heartmon.core.roles import Role
from heartmon.core.testing import assert_problem

pytestmark = pytest.mark.django_db

URL = "/api/v1/auth/me/"


def test_it_shows_your_own_profile(as_alice, alice, org_a):
    response = as_alice.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(alice.pk)
    assert body["email"] == "alice@stmary.example"
    assert body["role"] == "admin"
    assert body["organization"] == {"id": str(org_a.pk), "name": "St Mary's Hospital"}
    assert body["two_factor_enabled"] is False
    assert "password" not in body


def test_the_outsider_sees_only_himself(as_charlie, org_b):
    body = as_charlie.get(URL).json()

    assert body["email"] == "charlie@riverside.example"
    assert body["organization"]["id"] == str(org_b.pk)


def test_it_changes_your_name_and_phone(as_bob, bob):
    response = as_bob.patch(URL, {"first_name": "Robert", "phone": "+442071838750"})

    assert response.status_code == 200
    assert response.json()["first_name"] == "Robert"
    bob.refresh_from_db()
    assert (bob.first_name, bob.last_name, bob.phone) == ("Robert", "Tester", "+442071838750")


def test_patching_role_organization_or_email_changes_nothing(as_bob, bob, org_a, org_b):
    response = as_bob.patch(
        URL,
        {
            "role": Role.ADMIN,
            "organization": str(org_b.pk),
            "email": "boss@stmary.example",
            "is_superuser": True,
        },
    )

    assert response.status_code == 200
    assert response.json()["role"] == "nurse"
    bob.refresh_from_db()
    assert bob.role == Role.NURSE
    assert bob.organization == org_a
    assert bob.email == "bob@stmary.example"
    assert not bob.is_superuser


def test_it_rejects_an_overlong_name(as_bob, bob):
    response = as_bob.patch(URL, {"first_name": "R" * 151})

    assert_problem(response, 400, field="first_name")
    bob.refresh_from_db()
    assert bob.first_name == "Bob"


def test_it_rejects_a_phone_number_not_in_e164_form(as_bob):
    response = as_bob.patch(URL, {"phone": "020 7183 8750"})

    assert_problem(response, 400, field="phone")


def test_it_answers_bad_json_with_a_problem(as_bob):
    response = as_bob.patch(URL, "{", content_type="application/json")

    assert_problem(response, 400)


@pytest.mark.parametrize("method", ["get", "patch"])
def test_it_requires_authentication(anonymous, method):
    response = getattr(anonymous, method)(URL, {})

    body = assert_problem(response, 401)
    assert body["type"] == "urn:heartmon:problem:not-authenticated"
