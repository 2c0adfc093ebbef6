"""Celery beat runs the readings' upkeep daily: the scheduled task exists, and it creates the
months ahead on PostgreSQL (and does nothing on SQLite)."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from heartmon.celery import app
from heartmon.telemetry import partitions
from heartmon.telemetry.tasks import maintain_readings


def test_every_scheduled_task_is_a_registered_task():
    app.loader.import_default_modules()

    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="partitions exist on PostgreSQL only")
def test_the_task_creates_the_months_ahead():
    with time_machine.travel(datetime(2031, 5, 10, tzinfo=UTC), tick=False):
        maintain_readings.delay()

    names = set(partitions.existing_partitions(connection))
    assert partitions.partition_name(date(2031, 8, 1)) in names


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite has no partitions")
def test_the_task_leaves_sqlites_plain_table_alone():
    assert maintain_readings.delay().successful()
    assert not partitions.is_partitioned(connection)
