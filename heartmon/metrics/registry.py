"""Every metric heartmon exports, declared in one place and recorded by the service that knows
the fact. Labels are kinds, outcomes and formats only: never a patient, a user, a device or
any other id, which would leak who is monitored and grow without bound.

Owners of new parts (alarms, notifications, live streams) add their metrics here beside these.
A Gauge needs a `multiprocess_mode` ("livesum" for a sum over live processes, "mostrecent" for
a value read from the database), since every process keeps its own samples.
"""

from django.db import transaction
from prometheus_client import Counter, Histogram

READINGS_STORED = Counter(
    "heartmon_readings_stored", "Readings stored, by source (device, manual, ecg).", ["source"]
)
READINGS_DUPLICATE = Counter(
    "heartmon_readings_duplicate",
    "Readings received again and not stored twice, by source.",
    ["source"],
)
READINGS_REJECTED = Counter(
    "heartmon_readings_rejected", "Batch items refused, by sender (device, person).", ["sender"]
)
READING_BATCH_ITEMS = Histogram(
    "heartmon_reading_batch_items",
    "Items per reading batch, by sender (device, person).",
    ["sender"],
    buckets=(1, 10, 100, 500, 1_000, 5_000, 10_000),
)
MQTT_MESSAGES = Counter(
    "heartmon_mqtt_messages",
    "MQTT reading messages handled, by outcome (stored, partly_refused, refused, failed).",
    ["outcome"],
)
ECG_UPLOADS = Counter("heartmon_ecg_uploads", "ECG recordings stored, by format.", ["format"])
ECG_ANALYSIS_SECONDS = Histogram(
    "heartmon_ecg_analysis_seconds",
    "Time to analyse one ECG recording, by outcome (done, failed).",
    ["outcome"],
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300),
)
CELERY_TASKS = Counter(
    "heartmon_celery_tasks",
    "Celery tasks finished, by task name and outcome (success, failure, retry).",
    ["task", "outcome"],
)


def record_batch(*, sender: str, items: int, rejected: int) -> None:
    """A reading batch arrived from a `sender` kind ("device" or "person")."""
    READING_BATCH_ITEMS.labels(sender).observe(items)
    if rejected:
        READINGS_REJECTED.labels(sender).inc(rejected)


def record_stored(*, source: str, stored: int, duplicates: int) -> None:
    """Readings written: counted once the surrounding transaction commits (never if it rolls
    back), so the figure is what the database holds."""

    def count() -> None:
        READINGS_STORED.labels(source).inc(stored)
        READINGS_DUPLICATE.labels(source).inc(duplicates)

    transaction.on_commit(count)
