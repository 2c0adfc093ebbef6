"""GET /api/v1/users/ and /api/v1/users/{id}/: admins see the people of their organization."""

import uuid

from heartmon.accounts.models import User
from heartmon.accounts.testing import client_for, make_user
from heartmon.core.roles import Role
from heartmon.core.testing import assert_problem

URL = "/api/v1/users/"


def emails(response) -> list[str]:
    return [user["email"] for user in response.json()["results"]]


def test_it_lists_the_users_of_the_admins_organization(as_alice, alice, bob, charlie):
    response = as_alice.get(URL)

    assert response.status_code == 200
    assert sorted(emails(response)) == [alice.email, bob.email]
    assert response.json()["count"] == 2


def test_it_shows_role_state_and_organization_of_each_user(as_alice, bob, org_a):
    (bob_row,) = [u for u in as_alice.get(URL).json()["results"] if u["id"] == str(bob.pk)]

    assert bob_row["role"] == "nurse"
    assert bob_row["is_active"] is True
    assert bob_row["invitation_pending"] is False
    assert bob_row["organization"] == {"id": str(org_a.pk), "name": org_a.name}
    assert "password" not in bob_row


def test_it_filters_by_role_and_active_state(as_alice, alice, bob, org_a):
    make_user(org_a, "gone@stmary.example", Role.NURSE, is_active=False)

    assert emails(as_alice.get(URL, {"role": "nurse", "is_active": "true"})) == [bob.email]
    assert emails(as_alice.get(URL, {"is_active": "false"})) == ["gone@stmary.example"]
    assert emails(as_alice.get(URL, {"role": "admin"})) == [alice.email]


def test_it_rejects_an_unknown_role_filter(as_alice, alice):
    assert_problem(as_alice.get(URL, {"role": "surgeon"}), 400, field="role")


def test_it_searches_by_name_and_email(as_alice, alice, bob):
    assert emails(as_alice.get(URL, {"search": "bob@"})) == [bob.email]
    assert emails(as_alice.get(URL, {"search": "Alice"})) == [alice.email]


def test_it_shows_one_user_of_the_organization(as_alice, bob):
    response = as_alice.get(f"{URL}{bob.pk}/")

    assert response.status_code == 200
    assert response.json()["email"] == bob.email


def test_it_hides_another_organizations_user_behind_a_404(as_charlie, bob):
    assert_problem(as_charlie.get(f"{URL}{bob.pk}/"), 404)
    assert bob.email not in emails(as_charlie.get(URL))


def test_an_unknown_id_is_a_404_like_a_foreign_one(as_alice, alice):
    assert_problem(as_alice.get(f"{URL}{uuid.uuid4()}/"), 404)
    assert_problem(as_alice.get(f"{URL}not-a-uuid/"), 404)


def test_a_nurse_may_not_list_users(as_bob):
    assert_problem(as_bob.get(URL), 403)


def test_an_anonymous_client_must_authenticate(anonymous, alice):
    assert_problem(anonymous.get(URL), 401)
    assert_problem(anonymous.get(f"{URL}{alice.pk}/"), 401)


def test_a_superuser_sees_every_organizations_users(alice, charlie):
    superuser = User.objects.create_superuser(
        email="root@heartmon.example", password="x", first_name="Root", last_name="User"
    )
    listed = emails(client_for(superuser).get(URL, {"limit": 100}))

    assert {alice.email, charlie.email} <= set(listed)


def test_the_list_takes_a_fixed_number_of_queries(
    as_alice, alice, org_a, django_assert_max_num_queries
):
    for number in range(20):
        make_user(org_a, f"user{number}@stmary.example", list(Role)[number % 5])

    with django_assert_max_num_queries(3):
        response = as_alice.get(URL, {"limit": 100})

    assert len(response.json()["results"]) == 21
