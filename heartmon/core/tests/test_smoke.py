from heartmon.core.testing import assert_problem


def test_it_lists_the_organizations_users_for_an_admin(as_alice, alice, bob, charlie):
    response = as_alice.get("/api/v1/users/")
    assert response.status_code == 200
    assert {user["email"] for user in response.json()["results"]} == {alice.email, bob.email}


def test_it_answers_a_nurse_with_403(as_bob):
    assert_problem(as_bob.get("/api/v1/users/"), 403)


def test_it_answers_an_outsider_with_404(as_charlie, bob):
    assert_problem(as_charlie.get(f"/api/v1/users/{bob.pk}/"), 404)
