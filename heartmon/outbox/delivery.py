"""The worker's side of the outbox: claim what is due, send it, log the attempt, and schedule a
retry with exponential backoff until the retry period ends.

Claiming pushes the claimed messages' next attempt a lease ahead inside one short transaction
(`select_for_update(skip_locked=True)`), so concurrent workers never take the same message and
no lock is held while a message travels."""

import logging
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from heartmon.metrics.registry import record_delivery
from heartmon.outbox import senders
from heartmon.outbox.models import Attempt, Kind, Message, Status

logger = logging.getLogger(__name__)

SENDERS: dict[str, Callable[[Message], int | None]] = {
    Kind.EMAIL: senders.send_email,
    Kind.WEBHOOK: senders.send_webhook,
}
ERROR_LIMIT = 2000


def backoff(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: doubling from the base, capped."""
    seconds = settings.OUTBOX_BACKOFF_BASE * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.OUTBOX_BACKOFF_MAX))


def deliver_due(*, limit: int = 100) -> int:
    """Try every message whose time has come (up to `limit`); the number tried."""
    ids = _claim(limit)
    for message in Message.objects.filter(pk__in=ids).select_related("webhook"):
        _attempt(message)
    return len(ids)


def _claim(limit: int) -> list[uuid.UUID]:
    now = timezone.now()
    with transaction.atomic():
        due = Message.objects.select_for_update(skip_locked=True).filter(
            status=Status.PENDING, next_attempt_at__lte=now
        )
        ids = list(due.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
        lease = timedelta(seconds=settings.OUTBOX_LEASE)
        Message.objects.filter(pk__in=ids).update(next_attempt_at=now + lease)
    return ids


def _attempt(message: Message) -> None:
    at = timezone.now()
    started = time.monotonic()
    http_status, error = None, ""
    try:
        http_status = SENDERS[message.kind](message)
    except senders.DeliveryError as exc:
        http_status, error = exc.http_status, str(exc)
    except Exception as exc:  # any failure of one message is logged on it, never stops the rest
        error = f"{type(exc).__name__}: {exc}"
    duration_ms = round((time.monotonic() - started) * 1000)
    if error:
        logger.warning("Outbox %s %s failed (%s)", message.kind, message.pk, error.split(":")[0])
    _record(message, at, http_status=http_status, error=error[:ERROR_LIMIT], ms=duration_ms)
    record_delivery(kind=message.kind, ok=not error)


@transaction.atomic
def _record(
    message: Message, at: datetime, *, http_status: int | None, error: str, ms: int
) -> None:
    Attempt.objects.create(
        message=message, at=at, ok=not error, http_status=http_status, error=error, duration_ms=ms
    )
    now = timezone.now()
    attempts = message.attempt_count + 1
    changes: dict[str, object] = {"attempt_count": attempts}
    gave_up = now - message.created_at >= timedelta(hours=settings.OUTBOX_RETRY_HOURS)
    if not error or gave_up:
        changes.update(
            status=Status.FAILED if error else Status.SENT, finished_at=now, body="", html=""
        )
    else:
        changes["next_attempt_at"] = now + backoff(attempts)
    Message.objects.filter(pk=message.pk, status=Status.PENDING).update(**changes)


def purge_finished() -> int:
    """Forget messages sent or given up more than OUTBOX_KEEP_DAYS ago (and their attempts):
    the table and the webhooks' delivery logs stay bounded. The number of messages forgotten."""
    cutoff = timezone.now() - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    old = Message.objects.exclude(status=Status.PENDING).filter(finished_at__lt=cutoff)
    return int(old.delete()[1].get(Message._meta.label, 0))
