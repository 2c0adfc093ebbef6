"""PATCH and DELETE /api/v1/users/{id}/: admins change roles and (de)activate people."""

from heartmon.accounts.models import User
from heartmon.accounts.testing import PASSWORD, client_for, make_user
from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.roles import Role
from heartmon.core.testing import assert_problem


def url(user: User) -> str:
    return f"/api/v1/users/{user.pk}/"


def test_an_admin_changes_a_users_role(as_alice, alice, bob):
    response = as_alice.patch(url(bob), {"role": "doctor"})

    assert response.status_code == 200, response.content
    assert response.json()["role"] == "doctor"
    bob.refresh_from_db()
    assert bob.role == Role.DOCTOR


def test_a_role_change_is_audited_with_before_and_after(as_alice, alice, bob, org_a):
    as_alice.patch(url(bob), {"role": "doctor"})

    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
    assert (event.actor, event.organization, event.object_id) == (alice, org_a, str(bob.pk))
    assert event.details == {"from": "nurse", "to": "doctor"}


def test_an_admin_changes_names_and_phone(as_alice, alice, bob):
    response = as_alice.patch(url(bob), {"first_name": "Robert", "phone": "+14155550123"})

    assert response.status_code == 200
    bob.refresh_from_db()
    assert (bob.first_name, bob.phone) == ("Robert", "+14155550123")
    assert AuditEvent.objects.get(action=AuditAction.USER_UPDATED).details == {
        "fields": ["first_name", "phone"]
    }


def test_an_unknown_role_is_refused_on_the_role_field(as_alice, alice, bob):
    assert_problem(as_alice.patch(url(bob), {"role": "surgeon"}), 400, field="role")
    bob.refresh_from_db()
    assert bob.role == Role.NURSE


def test_a_malformed_phone_is_refused(as_alice, alice, bob):
    assert_problem(as_alice.patch(url(bob), {"phone": "555-0123"}), 400, field="phone")


def test_email_organization_and_superuser_flags_cannot_be_changed(as_alice, alice, bob, org_b):
    as_alice.patch(
        url(bob),
        {
            "email": "evil@x.example",
            "organization": str(org_b.pk),
            "is_superuser": True,
            "is_staff": True,
        },
    )

    bob.refresh_from_db()
    assert bob.email == "bob@stmary.example"
    assert bob.organization_id != org_b.pk
    assert not bob.is_superuser
    assert not bob.is_staff


def test_put_is_not_offered(as_alice, alice, bob):
    assert_problem(as_alice.put(url(bob), {"role": "doctor"}), 405)


def test_a_nurse_cannot_make_herself_admin_through_users(as_bob, bob):
    assert_problem(as_bob.patch(url(bob), {"role": "admin"}), 403)
    bob.refresh_from_db()
    assert bob.role == Role.NURSE


def test_a_nurse_cannot_make_herself_admin_through_her_profile(as_bob, bob):
    response = as_bob.patch("/api/v1/auth/me/", {"role": "admin", "first_name": "Bobby"})

    assert response.status_code == 200
    assert response.json()["role"] == "nurse"
    bob.refresh_from_db()
    assert (bob.role, bob.first_name) == (Role.NURSE, "Bobby")


def test_charlie_gets_a_404_for_another_organizations_user(as_charlie, bob):
    assert_problem(as_charlie.patch(url(bob), {"role": "admin"}), 404)
    assert_problem(as_charlie.delete(url(bob)), 404)
    bob.refresh_from_db()
    assert (bob.role, bob.is_active) == (Role.NURSE, True)


def test_deactivate_keeps_the_user_and_audits_it(as_alice, alice, bob):
    response = as_alice.post(f"{url(bob)}deactivate/")

    assert response.status_code == 200, response.content
    assert response.json()["is_active"] is False
    bob.refresh_from_db()
    assert not bob.is_active
    assert AuditEvent.objects.filter(
        action=AuditAction.USER_DEACTIVATED, object_id=str(bob.pk)
    ).exists()
    assert as_alice.get(url(bob)).status_code == 200


def test_delete_of_a_user_who_signed_in_is_a_conflict_naming_deactivate(
    as_alice, alice, bob, anonymous
):
    anonymous.post("/api/v1/auth/token/", {"email": bob.email, "password": PASSWORD})

    body = assert_problem(as_alice.delete(url(bob)), 409)

    assert body["type"] == "urn:heartmon:problem:user-has-history"
    assert f"POST /api/v1/users/{bob.pk}/deactivate/" in body["detail"]
    bob.refresh_from_db()
    assert bob.is_active


def test_delete_of_a_user_named_in_the_records_is_a_conflict(as_alice, alice, bob):
    as_alice.patch(url(alice), {"first_name": "Al"})  # alice is now an audit event's actor

    assert_problem(client_for(bob_admin(bob)).delete(url(alice)), 409)
    assert User.objects.filter(pk=alice.pk).exists()


def bob_admin(bob: User) -> User:
    bob.role = Role.ADMIN
    bob.save()
    return bob


def test_delete_removes_a_user_without_history(as_alice, alice, org_a):
    invitee = make_user(org_a, "new@stmary.example", Role.NURSE, is_active=False)

    assert as_alice.delete(url(invitee)).status_code == 204

    assert_problem(as_alice.get(url(invitee)), 404)
    assert not User.objects.filter(pk=invitee.pk).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.USER_DELETED, object_id=str(invitee.pk)
    ).exists()


def test_patch_is_active_false_deactivates(as_alice, alice, bob):
    assert as_alice.patch(url(bob), {"is_active": False}).json()["is_active"] is False
    bob.refresh_from_db()
    assert not bob.is_active


def test_a_deactivated_users_tokens_stop_working(as_alice, alice, bob, anonymous):
    tokens = anonymous.post(
        "/api/v1/auth/token/", {"email": bob.email, "password": PASSWORD}
    ).json()
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {tokens['access']}"}
    assert anonymous.get("/api/v1/auth/me/", **bearer).status_code == 200

    as_alice.post(f"{url(bob)}deactivate/")

    assert_problem(anonymous.get("/api/v1/auth/me/", **bearer), 401)
    assert_problem(
        anonymous.post("/api/v1/auth/token/refresh/", {"refresh": tokens["refresh"]}), 401
    )
    assert_problem(
        anonymous.post("/api/v1/auth/token/", {"email": bob.email, "password": PASSWORD}), 401
    )


def test_the_last_admin_cannot_be_demoted(as_alice, alice):
    assert_problem(as_alice.patch(url(alice), {"role": "doctor"}), 409)
    alice.refresh_from_db()
    assert alice.role == Role.ADMIN


def test_the_last_admin_cannot_be_deactivated(as_alice, alice):
    assert_problem(as_alice.post(f"{url(alice)}deactivate/"), 409)
    assert_problem(as_alice.patch(url(alice), {"is_active": False}), 409)
    alice.refresh_from_db()
    assert alice.is_active


def test_an_inactive_admin_does_not_count_as_another_admin(as_alice, alice, org_a):
    make_user(org_a, "old@stmary.example", Role.ADMIN, is_active=False)

    assert_problem(as_alice.patch(url(alice), {"role": "nurse"}), 409)


def test_an_admin_in_another_organization_does_not_count(as_alice, alice, charlie):
    assert_problem(as_alice.patch(url(alice), {"role": "nurse"}), 409)


def test_an_admin_may_step_down_once_another_admin_exists(as_alice, alice, org_a):
    make_user(org_a, "avery@stmary.example", Role.ADMIN)

    assert as_alice.patch(url(alice), {"role": "doctor"}).status_code == 200
    alice.refresh_from_db()
    assert alice.role == Role.DOCTOR


def test_an_admin_may_deactivate_another_admin_while_one_remains(as_alice, alice, org_a):
    avery = make_user(org_a, "avery@stmary.example", Role.ADMIN)

    assert as_alice.post(f"{url(avery)}deactivate/").status_code == 200
    assert_problem(as_alice.post(f"{url(alice)}deactivate/"), 409)


def test_a_deactivated_user_is_reactivated_and_can_sign_in_again(as_alice, alice, bob, anonymous):
    as_alice.post(f"{url(bob)}deactivate/")

    response = as_alice.patch(url(bob), {"is_active": True})

    assert response.status_code == 200
    assert AuditEvent.objects.filter(action=AuditAction.USER_REACTIVATED).exists()
    signed_in = anonymous.post("/api/v1/auth/token/", {"email": bob.email, "password": PASSWORD})
    assert signed_in.status_code == 200


def test_a_pending_invitee_cannot_be_activated_by_an_admin(as_alice, alice, org_a):
    invitee = make_user(org_a, "new@stmary.example", Role.NURSE, is_active=False)
    invitee.set_unusable_password()  # has not accepted the invitation yet
    invitee.save()

    assert_problem(as_alice.patch(url(invitee), {"is_active": True}), 409)
    invitee.refresh_from_db()
    assert not invitee.is_active


def test_a_nurse_may_not_deactivate_or_delete_anyone(as_bob, alice, bob):
    assert_problem(as_bob.delete(url(alice)), 403)
    assert_problem(as_bob.post(f"{url(bob)}deactivate/"), 403)
    assert User.objects.filter(is_active=True).count() == 2


def test_charlie_can_manage_his_own_organization(org_b, charlie):
    doctor = make_user(org_b, "doc@riverside.example", Role.DOCTOR)

    response = client_for(charlie).patch(url(doctor), {"role": "technician"})

    assert response.status_code == 200
    doctor.refresh_from_db()
    assert doctor.role == Role.TECHNICIAN
