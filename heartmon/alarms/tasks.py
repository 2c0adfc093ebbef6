"""Celery tasks: the timed checks, scheduled by beat (settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task
from django.utils import timezone

from heartmon.alarms.periodic import run_timed_checks


@shared_task
def timed_checks() -> None:
    """No data, delays run out, reminders (every few seconds)."""
    run_timed_checks(now=timezone.now(), news2=False)


@shared_task
def news2_checks() -> None:
    """NEWS2 of every admitted patient (every minute)."""
    run_timed_checks(now=timezone.now(), news2=True)
