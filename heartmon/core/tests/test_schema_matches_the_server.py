"""The OpenAPI schema documents what the server serves (issue 13, item 10): every error as
application/problem+json, with the statuses answered; schemathesis checks the whole API in CI
(.ci/run), these hold the cases it found."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from heartmon.core.errors import PROBLEM_CONTENT_TYPE
from heartmon.core.testing import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def paths():
    return SchemaGenerator().get_schema(request=None, public=True)["paths"]


def _operations(paths):
    for path, operations in paths.items():
        for method, operation in operations.items():
            yield path, method, operation


def test_every_error_is_documented_as_problem_details(paths):
    for path, method, operation in _operations(paths):
        for code, response in operation["responses"].items():
            if int(code) >= 400:
                assert list(response["content"]) == [PROBLEM_CONTENT_TYPE], (path, method, code)


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/api/v1/users/", "get", {"400", "401", "403"}),  # role=<no such role>
        ("/api/v1/readings/", "get", {"400", "401", "403"}),  # an invalid cursor
        ("/api/v1/users/{id}/", "delete", {"401", "403", "404", "409"}),
        ("/api/v1/devices/{id}/", "delete", {"401", "403", "404", "409"}),
        ("/api/v1/auth/token/", "post", {"400", "401", "415", "429"}),
        ("/api/v1/patients/", "post", {"400", "401", "403", "411", "413", "415"}),
    ],
)
def test_the_statuses_served_are_documented(paths, path, method, codes):
    assert codes <= set(paths[path][method]["responses"])


def test_an_unknown_role_choice_on_users_answers_400(as_alice):
    assert_problem(as_alice.get("/api/v1/users/", {"role": "pilot"}), 400, field="role")


def test_an_invalid_readings_cursor_answers_400_not_404(as_alice):
    assert_problem(
        as_alice.get("/api/v1/readings/", {"cursor": "bm9uc2Vuc2U"}), 400, field="cursor"
    )


def test_an_unknown_format_answers_400_naming_the_formats(as_alice):
    body = assert_problem(as_alice.get("/api/v1/readings/", {"format": "xml"}), 400, field="format")

    assert "json, csv" in body["detail"]


def test_a_device_id_that_is_no_uuid_in_a_keys_url_answers_404(as_alice):
    assert_problem(as_alice.get("/api/v1/devices/null,null/keys/"), 404)
    assert_problem(as_alice.post("/api/v1/devices/null/keys/", {"name": "k"}), 404)


def test_options_on_assign_describes_it(as_alice, device):
    response = as_alice.options(f"/api/v1/devices/{device.pk}/assign/")

    assert response.status_code == 200, response.content
