"""Assertions every app's tests share (the cast is in the root conftest.py)."""

from typing import Any

from heartmon.core.errors import PROBLEM_CONTENT_TYPE


def assert_problem(response: Any, status: int, *, field: str | None = None) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status (and an error for `field`)."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"].startswith("urn:heartmon:problem:")
    assert body["title"] and body["detail"]
    if field is not None:
        assert field in body["errors"], body
    return body
