"""The storage core under every ingestion path: new rows stored once, re-sent rows skipped and
counted, on SQLite (bulk_create) and PostgreSQL (COPY, then the upsert fallback)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import transaction

from heartmon.telemetry.ingest import ReadingRow, ingest_batch, store_readings
from heartmon.telemetry.models import Metric, Reading, Source

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _rows(device, patient, count, start=T0):
    return [
        ReadingRow(
            device.pk, patient.pk, Metric.HEART_RATE, 60.0 + i % 40, start + timedelta(seconds=i)
        )
        for i in range(count)
    ]


@pytest.mark.django_db
def test_it_stores_new_rows_and_counts_them(device, patient):
    assert store_readings(_rows(device, patient, 500), source=Source.DEVICE) == 500

    assert Reading.objects.count() == 500
    first = Reading.objects.earliest("recorded_at")
    assert (first.device_id, first.patient_id, first.value) == (device.pk, patient.pk, 60.0)
    assert first.recorded_at == T0
    assert first.source == Source.DEVICE
    assert first.received_at is not None


@pytest.mark.django_db
def test_a_resent_batch_stores_nothing_twice(device, patient):
    rows = _rows(device, patient, 300)
    store_readings(rows, source=Source.DEVICE)

    assert store_readings(rows, source=Source.DEVICE) == 0

    assert Reading.objects.count() == 300


@pytest.mark.django_db
def test_a_batch_overlapping_stored_data_keeps_only_the_new_rows(device, patient):
    store_readings(_rows(device, patient, 100), source=Source.DEVICE)

    stored = store_readings(
        _rows(device, patient, 150, start=T0 + timedelta(seconds=50)), source=Source.DEVICE
    )

    assert stored == 100
    assert Reading.objects.count() == 200


@pytest.mark.django_db(transaction=True)
def test_outside_any_transaction_an_overlapping_batch_keeps_only_the_new_rows(device, patient):
    store_readings(_rows(device, patient, 100), source=Source.DEVICE)
    assert not transaction.get_connection().in_atomic_block  # as a device's request stores

    stored = store_readings(
        _rows(device, patient, 150, start=T0 + timedelta(seconds=50)), source=Source.DEVICE
    )

    assert stored == 100
    assert Reading.objects.count() == 200


@pytest.mark.django_db
def test_duplicates_within_one_batch_are_stored_once(device, patient):
    rows = _rows(device, patient, 10)

    assert store_readings(rows + rows[:4], source=Source.DEVICE) == 10

    assert Reading.objects.count() == 10


@pytest.mark.django_db
def test_the_same_instant_of_another_metric_is_a_different_reading(device, patient):
    row = _rows(device, patient, 1)[0]

    stored = store_readings(
        [row, row._replace(metric=Metric.SPO2, value=97.0)], source=Source.DEVICE
    )

    assert stored == 2


@pytest.mark.django_db
def test_a_reading_older_than_every_partition_is_still_stored(device, patient):
    old = datetime(2003, 5, 1, tzinfo=UTC)

    assert store_readings(_rows(device, patient, 3, start=old), source=Source.DEVICE) == 3

    assert Reading.objects.filter(recorded_at__lt=datetime(2004, 1, 1, tzinfo=UTC)).count() == 3


@pytest.mark.django_db
def test_a_device_batch_takes_the_patient_from_the_open_assignment(monitored, patient):
    result = ingest_batch(
        [{"metric": "heart_rate", "value": 72, "recorded_at": "2026-11-20T08:00:00Z"}],
        sender=monitored,
        actor=monitored.as_actor(),
    )

    assert (result.stored, result.duplicates, result.rejected) == (1, 0, [])
    assert Reading.objects.get().patient_id == patient.pk
