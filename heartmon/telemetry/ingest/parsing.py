"""A batch as it arrives: the JSON body, and the two shapes an item may take, ours and reference
004's, named once so that both ways of checking a batch read the same fields."""

import uuid
from typing import Any, NamedTuple

import orjson

from heartmon.core.errors import InvalidInput, PayloadTooLarge
from heartmon.telemetry.models import Metric

# Generous: a reference-004 item is ~150 bytes; a body larger than a full batch of these is
# refused unread (HTTP and MQTT).
MAX_BYTES_PER_ITEM = 1024


class Shape(NamedTuple):
    """The fields an item of one shape names its value and time with, the ones naming its device,
    patient and organization, and its metric when it names none (None: the metric is required)."""

    value: str
    time: str
    ids: tuple[str, str, str]
    default_metric: str | None


OWN = Shape("value", "recorded_at", ("device", "patient", "customer_id"), None)
REFERENCE = Shape(
    "reading", "timestamp", ("device_id", "patient", "customer_id"), Metric.GENERIC.value
)


def shape_of(item: dict[str, Any]) -> Shape:
    return REFERENCE if "reading" in item or "timestamp" in item else OWN


def parse_batch(body: bytes, *, max_items: int) -> list[Any]:
    """The JSON array of a request body, or a 400/413 before anything is stored."""
    try:
        items = orjson.loads(body)
    except orjson.JSONDecodeError as exc:
        raise InvalidInput(f"The body is not valid JSON: {exc}.", code="malformed_json") from exc
    if not isinstance(items, list):
        raise InvalidInput("Send a JSON array of readings.", code="not_an_array")
    if len(items) > max_items:
        raise PayloadTooLarge(
            f"A batch holds at most {max_items} readings; this one has {len(items)}. "
            "Split it into smaller batches."
        )
    return items


def uuid_or_none(raw: str | None) -> uuid.UUID | None:
    """An id as sent, or None when it is missing or not a UUID."""
    try:
        return uuid.UUID(raw) if raw is not None else None
    except ValueError:
        return None
