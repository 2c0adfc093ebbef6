"""Periodic upkeep that Celery beat schedules (`beat` in the Procfile; settings'
CELERY_BEAT_SCHEDULE), so that a host running `heartmon serve` needs no cron."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import connection
from django.utils import timezone

from heartmon.telemetry import partitions

logger = logging.getLogger(__name__)


@shared_task
def maintain_readings() -> None:
    """What `heartmon maintain_readings` does: partitions ahead, rows out of the default
    partition, retention. Nothing to do on SQLite."""
    if not partitions.is_partitioned(connection):
        return
    report = partitions.maintain(
        today=timezone.now().date(), retention_days=settings.READINGS_RETENTION_DAYS
    )
    logger.info(
        "Readings partitions: %d created, %d dropped; %d old readings deleted",
        len(report.created),
        len(report.dropped),
        report.purged_from_default,
    )
