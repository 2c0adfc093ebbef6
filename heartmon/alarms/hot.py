"""What the hot path asks of every batch, cheaply: whether any of its patients has a condition
raised or pending (one small query), and each patient's effective limits, kept for a few seconds
per process (rules change rarely; readings arrive every second). A rule saved in this process
clears the kept limits at once; other processes see it within `KEEP_SECONDS`. Only the decision
to skip a batch reads these: a batch that may change something is evaluated with fresh rules
under the patients' locks."""

import time
import uuid
from collections.abc import Collection
from typing import Any

from django.db import connection

from heartmon.alarms.engine import Limits
from heartmon.alarms.models import ConditionState
from heartmon.alarms.selectors import effective_rules, whereabouts

KEEP_SECONDS = 5.0
_kept: dict[uuid.UUID, tuple[float, dict[str, Limits]]] = {}


def limits_for(patient_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, dict[str, Limits]]:
    now = time.monotonic()
    stale = [pk for pk in patient_ids if pk not in _kept or _kept[pk][0] < now]
    if stale:
        for pk, rules in effective_rules(whereabouts(stale)).items():
            _kept[pk] = (
                now + KEEP_SECONDS,
                {metric: rule.limits for metric, rule in rules.items()},
            )
    return {pk: _kept[pk][1] for pk in patient_ids if pk in _kept}


def forget(**kwargs: Any) -> None:
    """Drop every kept limit (a rule changed)."""
    _kept.clear()


def any_pending(patient_ids: Collection[uuid.UUID]) -> bool:
    """Whether any of the patients has a condition raised or pending (a stored state)."""
    field = ConditionState._meta.get_field("patient")
    keys = [field.get_db_prep_value(pk, connection) for pk in patient_ids]
    table = ConditionState._meta.db_table
    placeholders = ", ".join(["%s"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE patient_id IN ({placeholders}) LIMIT 1",  # noqa: S608
            keys,
        )
        return cursor.fetchone() is not None
