"""A 403 from the role table names the right the role lacks and who has it (issue 13, "also
found": it said only "Your role does not allow this action")."""

import pytest

from heartmon.core.actor import Actor
from heartmon.core.roles import refusal
from heartmon.core.testing import assert_problem

pytestmark = pytest.mark.django_db


def test_a_nurse_inviting_a_user_is_told_only_admins_may_write_users(as_bob):
    response = as_bob.post("/api/v1/users/", {"email": "x@example.com", "role": "nurse"})

    body = assert_problem(response, 403)
    assert body["detail"] == (
        "Nurses may not write users: the role table gives users.write to admin."
    )


def test_a_technician_reading_readings_is_told_which_roles_may(as_tess):
    body = assert_problem(as_tess.get("/api/v1/readings/"), 403)

    assert body["detail"] == (
        "Technicians may not read readings: the role table gives readings.read to "
        "admin, doctor, nurse."
    )


def test_a_custom_action_names_its_own_right(as_bob, patient):
    body = assert_problem(as_bob.post(f"/api/v1/patients/{patient.pk}/restore/"), 403)

    assert "patients.archived to admin." in body["detail"]


def test_a_right_no_role_has_says_so():
    nurse = Actor(organization_id=None, role="nurse")

    assert refusal(nurse, "users", "fly") == (
        "Nurses may not fly users: the role table gives users.fly to no role."
    )
