"""One open alarm per patient and condition, whatever runs at once: batches evaluated in parallel
(two workers, HTTP and MQTT together) open one alarm between them. PostgreSQL only: SQLite
serializes writers, so there is no race to observe."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from heartmon.alarms.evaluation import evaluate_readings
from heartmon.alarms.models import Alarm, AlarmEvent, Step
from heartmon.devices.models import DeviceAssignment
from heartmon.telemetry.ingest import ReadingRow

WORKERS = 6


@pytest.mark.django_db(transaction=True)
def test_parallel_batches_crossing_a_limit_open_one_alarm(monitored, patient):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers: no race to observe")
    now = timezone.now()
    barrier = threading.Barrier(WORKERS)

    def evaluate(worker: int) -> None:
        # Each worker's batch alone crosses the limit for longer than the delay.
        rows = [
            ReadingRow(monitored.pk, patient.pk, "heart_rate", 130.0 + worker, moment)
            for moment in (now - timedelta(seconds=s + worker / 10) for s in range(10, 0, -1))
        ]
        try:
            barrier.wait()
            evaluate_readings(rows, received_at=now)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(evaluate, range(WORKERS)))

    assert Alarm.objects.filter(patient=patient, condition="heart_rate").count() == 1
    assert AlarmEvent.objects.filter(step=Step.RAISED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_timed_checks_run_twice_at_once_do_nothing_twice(monitored, patient, bed, alice):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers: no race to observe")
    from heartmon.alarms.periodic import run_timed_checks
    from heartmon.clinic.models import Admission

    admission = Admission.objects.create(
        organization=patient.organization,
        patient=patient,
        place=bed,
        bed=bed,
        reason="Syncope",
        admitted_by=alice,
        admitted_at=timezone.now() - timedelta(hours=1),
    )
    DeviceAssignment.objects.filter(device=monitored).update(
        admission=admission, started_at=timezone.now() - timedelta(hours=1)
    )
    later = timezone.now() + timedelta(minutes=10)  # silent, and past the reminder's delay
    run_timed_checks(now=timezone.now(), news2=False)
    barrier = threading.Barrier(WORKERS)

    def check(_: int) -> None:
        try:
            barrier.wait()
            run_timed_checks(now=later, news2=False)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        list(pool.map(check, range(WORKERS)))

    alarm = Alarm.objects.get(condition="no_data")
    assert alarm.timeline.filter(step=Step.RAISED).count() == 1
    assert alarm.timeline.filter(step=Step.REMINDED).count() == 1
