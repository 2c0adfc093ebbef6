"""When the database refuses a batch for some items' sake (a value it cannot take, a constraint or
trigger that fails on one row), the other items are stored all the same: the batch is halved until
each refused item stands alone, a few statements for a rare fault instead of a statement per item.
A database that fails as a whole (unreachable, shutting down) still fails the whole batch, so
that nothing is acknowledged that was not stored."""

from collections.abc import Sequence

import psycopg
from django.db import DataError, IntegrityError

from heartmon.telemetry.ingest.storage import Row, store_readings

# Faults of the rows themselves; COPY raises psycopg's, statements through Django raise Django's.
ROW_FAULTS = (DataError, IntegrityError, psycopg.DataError, psycopg.IntegrityError)


def store_isolating(
    rows: Sequence[Row], *, indices: Sequence[int], source: str
) -> tuple[int, list[int]]:
    """Store rows like `store_readings`; returns how many were new and the `indices` (one per
    row, the item it came from) of the rows the database refused."""
    try:
        return store_readings(rows, source=source), []
    except ROW_FAULTS:
        if len(rows) == 1:
            return 0, list(indices)
    half = len(rows) // 2
    stored, refused = store_isolating(rows[:half], indices=indices[:half], source=source)
    more, refused_more = store_isolating(rows[half:], indices=indices[half:], source=source)
    return stored + more, refused + refused_more
