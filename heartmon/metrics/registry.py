"""Every metric heartmon exports, declared in one place and recorded by the service that knows
the fact. Labels are kinds, outcomes and formats only: never a patient, a user, a device or
any other id, which would leak who is monitored and grow without bound.

Owners of new parts (alarms, notifications, live streams) add their metrics here beside these.
A Gauge needs a `multiprocess_mode` ("livesum" for a sum over live processes, "mostrecent" for
a value read from the database), since every process keeps its own samples.
"""

from django.db import transaction
from prometheus_client import Counter, Gauge, Histogram

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
    "Time to analyse one ECG recording, by outcome (done, failed, discarded: deleted meanwhile).",
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


ALARMS_RAISED = Counter(
    "heartmon_alarms_raised",
    "Alarms raised, by kind (patient, technical), condition (the rule's metric, news2, no_data) "
    "and priority.",
    ["kind", "condition", "priority"],
)
ALARMS_OPEN = Gauge(
    "heartmon_alarms_open",
    "Alarms open now, by priority (read from the database by the timed checks).",
    ["priority"],
    multiprocess_mode="mostrecent",
)
ALARM_NOTIFICATIONS = Counter(
    "heartmon_alarm_notifications",
    "E-mails enqueued for alarms, by reason (raised, escalated, unacknowledged).",
    ["reason"],
)
OUTBOX_DELIVERIES = Counter(
    "heartmon_outbox_deliveries",
    "Outbox delivery attempts, by kind (email, webhook) and outcome (sent, failed).",
    ["kind", "outcome"],
)


def record_alarm_raised(*, kind: str, condition: str, priority: str) -> None:
    """Counted once the alarm's transaction commits."""
    transaction.on_commit(lambda: ALARMS_RAISED.labels(kind, condition, priority).inc())


def record_alarm_notified(*, reason: str, emails: int) -> None:
    transaction.on_commit(lambda: ALARM_NOTIFICATIONS.labels(reason).inc(emails))


def record_open_alarms(counts: dict[str, int]) -> None:
    """`counts`: open alarms per priority (every priority, zero included)."""
    for priority, count in counts.items():
        ALARMS_OPEN.labels(priority).set(count)


def record_delivery(*, kind: str, ok: bool) -> None:
    OUTBOX_DELIVERIES.labels(kind, "sent" if ok else "failed").inc()
