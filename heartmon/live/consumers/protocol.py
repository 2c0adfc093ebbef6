"""The JSON side of the live socket: reading a client's message, and the error message that
answers a refused one in the REST API's problem shape."""

from typing import Any

import orjson

from heartmon.core.errors import DomainError, InvalidInput, problem_body

# Close codes (4000-4999 are the application's): the client should sign in again, may not
# connect from there, or went silent.
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_SILENT = 4408


def read_message(text: str | None) -> dict[str, Any]:
    try:
        message = orjson.loads(text) if text else None
    except orjson.JSONDecodeError:
        message = None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise InvalidInput(
            'Send JSON text messages like {"type": "subscribe", "stream": "patient:<id>"}.',
            code="malformed_message",
        )
    return message


def error_message(exc: DomainError, request: dict[str, Any] | None = None) -> dict[str, Any]:
    """{"type": "error", "request": what it answers, "problem": RFC 9457 problem details}."""
    problem = problem_body(exc.status, exc.code, exc.detail, title=exc.title, errors=exc.errors)
    asked = {key: request[key] for key in ("type", "stream") if request and key in request}
    return {"type": "error", "request": asked, "problem": problem | exc.extensions}


def close_code(exc: DomainError) -> int:
    return CLOSE_FORBIDDEN if exc.status == 403 else CLOSE_UNAUTHENTICATED
