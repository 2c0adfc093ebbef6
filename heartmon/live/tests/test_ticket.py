from heartmon.core.testing import assert_problem


def test_a_person_gets_a_ticket_valid_30_seconds(as_bob):
    response = as_bob.post("/api/v1/live/ticket/")
    assert response.status_code == 201
    assert response.json()["expires_in"] == 30
    assert len(response.json()["ticket"]) >= 40


def test_each_ticket_is_new(as_bob):
    first = as_bob.post("/api/v1/live/ticket/").json()["ticket"]
    assert as_bob.post("/api/v1/live/ticket/").json()["ticket"] != first


def test_it_refuses_anonymous_callers(anonymous):
    assert_problem(anonymous.post("/api/v1/live/ticket/"), 401)


def test_it_refuses_a_device_key(as_device):
    assert_problem(as_device.post("/api/v1/live/ticket/"), 401)


def test_it_answers_only_post(as_bob):
    assert_problem(as_bob.get("/api/v1/live/ticket/"), 405)
