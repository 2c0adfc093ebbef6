"""Reading batches, the hot path: parse with orjson (`parsing`), check a device's batch column by
column (`columns`) or any batch item by item (`items`), store with one COPY on PostgreSQL or one
bulk_create on SQLite (`storage`). HTTP, MQTT and ECG analysis all store through here.

Items come in our shape {metric, value, recorded_at, device?, patient?} or, unchanged, in
reference 004's {timestamp, reading, device_id, customer_id} (metric `generic` unless given).
A device's batch whose items are all valid is checked a column at a time, about a tenth of the
cost of checking items one by one. Any other batch (a person's, or one with an invalid item) is
checked item by item, so that every rejected item says why; a rejected item never stops the
others unless the caller asks for an atomic batch, not even one the database refuses
(`isolation`). A device's reading belongs to the patient the device was assigned to when it was
measured (`assignments`).
"""

import uuid
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from heartmon.core.actor import Actor
from heartmon.core.errors import InvalidInput
from heartmon.core.time import latest_measurement
from heartmon.devices.models import Device
from heartmon.metrics.registry import record_batch
from heartmon.telemetry.ingest.columns import clean_device_rows
from heartmon.telemetry.ingest.isolation import store_isolating
from heartmon.telemetry.ingest.items import rows_item_by_item
from heartmon.telemetry.ingest.parsing import MAX_BYTES_PER_ITEM, parse_batch
from heartmon.telemetry.ingest.storage import ReadingRow, store_readings
from heartmon.telemetry.ingest.values import check_value
from heartmon.telemetry.models import Source

# Why a reading the database refused is rejected; the batch's other items are stored.
REFUSED = "The database could not store this reading."

__all__ = [
    "MAX_BYTES_PER_ITEM",
    "IngestResult",
    "ReadingRow",
    "check_value",
    "ingest_batch",
    "parse_batch",
    "store_readings",
]


@dataclass
class IngestResult:
    stored: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)  # {"index", "errors"}
    # Of a person's accepted items, for the audit (a device's batches are not audited).
    patient_ids: set[uuid.UUID] = field(default_factory=set)

    def as_dict(self) -> dict[str, Any]:
        return {"stored": self.stored, "duplicates": self.duplicates, "rejected": self.rejected}


def ingest_batch(
    items: Sequence[Any], *, sender: Device | None, actor: Actor, atomic: bool = False
) -> IngestResult:
    """Validate and store a batch. `sender` is the device that sent it (its items may not name
    another device), or None for a person (`actor`), whose items each name a device of their
    organization. Raises InvalidInput (with the `rejected` list) when `atomic` and any item fails.
    """
    latest = latest_measurement()
    result = IngestResult()
    rows = clean_device_rows(items, sender=sender, latest=latest) if sender is not None else None
    if rows is None:
        rows, result.rejected = rows_item_by_item(items, sender=sender, actor=actor, latest=latest)
    sender_kind = "device" if sender is not None else "person"
    record_batch(sender=sender_kind, items=len(items), rejected=len(result.rejected))
    if atomic and result.rejected:
        raise _refused_batch(result.rejected, len(items))
    if sender is None:
        result.patient_ids = {row[1] for row in rows if row[1] is not None}
    source = Source.DEVICE if sender is not None else Source.MANUAL
    with transaction.atomic() if atomic else nullcontext():
        result.stored, refused = store_isolating(
            rows, indices=_accepted(len(items), result.rejected), source=source
        )
        if refused:
            result.rejected = _with_refusals(result.rejected, refused)
            if atomic:
                raise _refused_batch(result.rejected, len(items))
    result.duplicates = len(rows) - len(refused) - result.stored
    return result


def _accepted(count: int, rejected: list[dict[str, Any]]) -> Sequence[int]:
    """The indices of the items that became rows, in order: all but the rejected ones."""
    if not rejected:
        return range(count)
    refused = {rejection["index"] for rejection in rejected}
    return [index for index in range(count) if index not in refused]


def _with_refusals(rejected: list[dict[str, Any]], refused: list[int]) -> list[dict[str, Any]]:
    refusals = [{"index": index, "errors": {"non_field_errors": [REFUSED]}} for index in refused]
    return sorted(rejected + refusals, key=lambda rejection: rejection["index"])


def _refused_batch(rejected: list[dict[str, Any]], count: int) -> InvalidInput:
    return InvalidInput(
        f"{len(rejected)} of {count} readings are invalid; nothing was stored.",
        code="invalid_readings",
        extensions={"rejected": rejected},
    )
