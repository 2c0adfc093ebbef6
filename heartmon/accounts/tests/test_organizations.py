"""/api/v1/organizations/: everyone sees their own organization, its admins rename it."""

import uuid

from heartmon.accounts.models import Organization, User
from heartmon.accounts.testing import client_for
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem

URL = "/api/v1/organizations/"


def url(organization: Organization) -> str:
    return f"{URL}{organization.pk}/"


def test_a_user_lists_only_their_own_organization(as_bob, org_a, org_b):
    response = as_bob.get(URL)

    assert response.status_code == 200
    assert [org["id"] for org in response.json()["results"]] == [str(org_a.pk)]


def test_a_user_reads_their_organization(as_bob, org_a):
    response = as_bob.get(url(org_a))

    assert response.status_code == 200
    assert response.json()["name"] == "St Mary's Hospital"
    assert set(response.json()) == {"id", "name", "created_at"}


def test_another_organization_is_a_404(as_charlie, org_a):
    assert_problem(as_charlie.get(url(org_a)), 404)
    assert_problem(as_charlie.patch(url(org_a), {"name": "Mine now"}), 404)
    org_a.refresh_from_db()
    assert org_a.name == "St Mary's Hospital"


def test_an_unknown_organization_is_a_404(as_alice):
    assert_problem(as_alice.get(f"{URL}{uuid.uuid4()}/"), 404)


def test_an_admin_renames_the_organization(as_alice, alice, org_a):
    response = as_alice.patch(url(org_a), {"name": "St Mary's General"})

    assert response.status_code == 200
    assert response.json()["name"] == "St Mary's General"
    org_a.refresh_from_db()
    assert org_a.name == "St Mary's General"
    event = AuditEvent.objects.get(action=AuditAction.ORGANIZATION_UPDATED)
    assert (event.actor, event.organization, event.object_id) == (alice, org_a, str(org_a.pk))


def test_a_patch_without_a_name_changes_nothing(as_alice, org_a):
    response = as_alice.patch(url(org_a), {})

    assert response.status_code == 200
    assert response.json()["name"] == "St Mary's Hospital"


def test_a_blank_or_overlong_name_is_refused(as_alice, org_a):
    assert_problem(as_alice.patch(url(org_a), {"name": ""}), 400, field="name")
    assert_problem(as_alice.patch(url(org_a), {"name": "x" * 201}), 400, field="name")


def test_the_id_and_creation_time_are_read_only(as_alice, org_a):
    as_alice.patch(url(org_a), {"id": str(uuid.uuid4()), "created_at": "2000-01-01T00:00:00Z"})

    assert Organization.objects.filter(pk=org_a.pk, created_at__year__gt=2000).exists()


def test_a_nurse_may_not_rename_the_organization(as_bob, org_a):
    assert_problem(as_bob.patch(url(org_a), {"name": "Bob's"}), 403)
    org_a.refresh_from_db()
    assert org_a.name == "St Mary's Hospital"


def test_organizations_are_not_created_or_deleted_through_the_api(as_alice, org_a):
    assert_problem(as_alice.post(URL, {"name": "Another"}), 405)
    assert_problem(as_alice.delete(url(org_a)), 405)
    assert Organization.objects.count() == 1


def test_a_superuser_sees_every_organization(org_a, org_b):
    root = User.objects.create_superuser(
        email="root@heartmon.example", password="x", first_name="Root", last_name="User"
    )

    response = client_for(root).get(URL)

    assert {org["name"] for org in response.json()["results"]} == {org_a.name, org_b.name}


def test_an_anonymous_client_must_authenticate(anonymous, org_a):
    assert_problem(anonymous.get(URL), 401)
