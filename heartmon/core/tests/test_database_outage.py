"""The database unreachable (here: a connection to a port nothing listens on, or an SQLite file
that cannot be opened) answers 503 service-unavailable with Retry-After, never a 500: devices
keep their batch and send it again. The test database itself is left alone."""

import copy
import socket
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connections

from heartmon.core.testing import assert_problem

pytestmark = pytest.mark.django_db


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def database_unreachable() -> Iterator[None]:
    """This thread's connection to `default` points where no database answers, for a while."""
    original = connections["default"]
    settings_dict = copy.deepcopy(original.settings_dict)
    if original.vendor == "postgresql":
        settings_dict.update(HOST="127.0.0.1", PORT=str(unused_port()))
    else:
        settings_dict["NAME"] = "/nonexistent/heartmon/unreachable.sqlite3"
    broken = original.__class__(settings_dict, alias="default")
    connections["default"] = broken
    try:
        yield
    finally:
        broken.close()
        connections["default"] = original


def assert_unavailable(response) -> None:
    body = assert_problem(response, 503)
    assert body["type"] == "urn:heartmon:problem:service-unavailable"
    assert int(response["Retry-After"]) > 0


def test_a_device_batch_is_told_to_retry(as_device, device):
    batch = [{"metric": "heart_rate", "value": 72, "recorded_at": "2026-01-01T00:00:00Z"}]

    with database_unreachable():
        response = as_device.post("/api/v1/readings/", batch, format="json")

    assert_unavailable(response)


def test_a_person_reading_a_list_is_told_to_retry(as_bob):
    with database_unreachable():
        response = as_bob.get("/api/v1/patients/")

    assert_unavailable(response)


def test_a_sign_in_is_told_to_retry(anonymous):
    with database_unreachable():
        response = anonymous.post(
            "/api/v1/auth/token/", {"email": "bob@stmary.example", "password": "whatever it is"}
        )

    assert_unavailable(response)


def test_a_page_outside_the_api_answers_503_too(client):
    with database_unreachable():
        response = client.post(
            "/admin/login/", {"username": "root@heartmon.example", "password": "whatever it is"}
        )

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
