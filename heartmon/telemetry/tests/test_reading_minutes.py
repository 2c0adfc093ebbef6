"""The per-minute rollup of the readings (PostgreSQL): after every way readings are written,
corrected, deleted, replaced, folded or expired, it equals a GROUP BY over the readings; and the
aggregate it serves answers as the readings do."""

import random
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.actor import Actor
from heartmon.ecg.models import ProcessingStatus, Recording
from heartmon.ecg.services.analysis import analyse_recording
from heartmon.ecg.tests import signals
from heartmon.telemetry import partitions
from heartmon.telemetry.ingest import ReadingRow, store_readings
from heartmon.telemetry.models import Metric, Reading, Source
from heartmon.telemetry.queries import aggregate_readings
from heartmon.telemetry.tests.seed import NOW, T0, seed

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the rollup exists on PostgreSQL only (set DATABASE_URL=postgres://...)",
)

ANALYSIS = Actor.of_system("ecg-analysis")

SECOND = timedelta(seconds=1)
MINUTE = timedelta(minutes=1)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def rollup() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT device_id, patient_id, metric, minute, n, total, low, high "
            "FROM telemetry_reading_minute ORDER BY 1, 3, 4, 2"
        )
        return cursor.fetchall()


def counted_from_readings() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT device_id, patient_id, metric, date_trunc('minute', recorded_at, 'UTC'), "
            "count(*), sum(value), min(value), max(value) "
            "FROM telemetry_reading GROUP BY 1, 2, 3, 4 ORDER BY 1, 3, 4, 2"
        )
        return cursor.fetchall()


def assert_rollup_is_exact() -> list[tuple]:
    """The rollup equals the readings grouped by minute (sums to rounding: the order of the
    additions differs); returns it."""
    kept, expected = rollup(), counted_from_readings()
    assert [row[:5] + row[6:] for row in kept] == [row[:5] + row[6:] for row in expected]
    assert [row[5] for row in kept] == pytest.approx([row[5] for row in expected], rel=1e-12)
    return kept


def without_means(data: list[dict]) -> tuple[list[dict], list[float]]:
    """Aggregate entries with their buckets' means taken out, and those means, to compare the
    means to rounding and the rest exactly."""
    means = [bucket.pop("value") for entry in data for bucket in entry["aggregated_values"]]
    return data, means


def row(device, patient, value, moment, metric=Metric.HEART_RATE) -> ReadingRow:
    return ReadingRow(device.pk, patient.pk if patient else None, metric, float(value), moment)


def test_a_copied_batch_is_counted_per_device_patient_metric_and_minute(device, patient):
    stored = store_readings(
        [
            row(device, patient, 60, T0),
            row(device, patient, 70, T0 + 30 * SECOND),
            row(device, patient, 80, T0 + 59.5 * SECOND),
            row(device, None, 90, T0 + 10 * SECOND),
            row(device, patient, 97, T0, metric=Metric.SPO2),
            row(device, patient, 100, T0 + MINUTE),
        ],
        source=Source.DEVICE,
    )

    assert stored == 6
    assert assert_rollup_is_exact() == [
        (device.pk, patient.pk, "heart_rate", T0, 3, 210.0, 60.0, 80.0),
        (device.pk, None, "heart_rate", T0, 1, 90.0, 90.0, 90.0),
        (device.pk, patient.pk, "heart_rate", T0 + MINUTE, 1, 100.0, 100.0, 100.0),
        (device.pk, patient.pk, "spo2", T0, 1, 97.0, 97.0, 97.0),
    ]


def test_a_resent_overlapping_batch_adds_only_the_readings_it_stored(device, patient):
    seed(device, patient, values=(60, 70, 80), step=20 * SECOND)  # 08:00:00, :20, :40
    resent = [row(device, patient, 99, T0 + 20 * SECOND), row(device, patient, 50, T0 + MINUTE)]
    resent += [row(device, patient, 120, T0 + 50 * SECOND)]

    assert store_readings(resent, source=Source.DEVICE) == 2  # the fallback upsert

    assert assert_rollup_is_exact() == [
        (device.pk, patient.pk, "heart_rate", T0, 4, 330.0, 60.0, 120.0),
        (device.pk, patient.pk, "heart_rate", T0 + MINUTE, 1, 50.0, 50.0, 50.0),
    ]


def test_a_corrected_value_recounts_its_minute(as_bob, device, patient):
    lowest, _ = seed(device, patient, values=(40, 70), step=20 * SECOND)

    response = as_bob.patch(f"/api/v1/readings/{lowest.pk}/", {"value": 90})

    assert response.status_code == 200, response.content
    assert assert_rollup_is_exact() == [
        (device.pk, patient.pk, "heart_rate", T0, 2, 160.0, 70.0, 90.0)
    ]


def test_a_corrected_time_moves_the_reading_to_another_minute_and_month(as_bob, device, patient):
    partitions.create_month(date(2025, 10, 1))
    moved, _ = seed(device, patient, values=(40, 70), step=20 * SECOND)
    october = datetime(2025, 10, 31, 23, 59, 30, tzinfo=UTC)

    response = as_bob.patch(f"/api/v1/readings/{moved.pk}/", {"recorded_at": october.isoformat()})

    assert response.status_code == 200, response.content
    assert assert_rollup_is_exact() == [
        (device.pk, patient.pk, "heart_rate", october - 30 * SECOND, 1, 40.0, 40.0, 40.0),
        (device.pk, patient.pk, "heart_rate", T0, 1, 70.0, 70.0, 70.0),
    ]


def test_a_deleted_reading_leaves_its_minute_and_an_emptied_minute_goes(as_alice, device):
    first, _, last = seed(device, values=(60, 95, 80), step=40 * SECOND)  # 08:00:00 :40, 08:01:20

    assert as_alice.delete(f"/api/v1/readings/{first.pk}/").status_code == 204
    assert as_alice.delete(f"/api/v1/readings/{last.pk}/").status_code == 204

    assert assert_rollup_is_exact() == [(device.pk, None, "heart_rate", T0, 1, 95.0, 95.0, 95.0)]


def test_analysing_an_ecg_again_replaces_its_heart_rates_and_keeps_the_devices_own(
    settings, tmp_path, as_alice, monitored, patient, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(signals.START + timedelta(days=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            body = signals.upload_fields(device=monitored, seconds=90)
            response = as_alice.post("/api/v1/ecg/recordings/", body, format="multipart")
        assert response.status_code == 201, response.content
        own = [row(monitored, patient, 75, signals.START + n * SECOND / 2) for n in (1, 61, 121)]
        store_readings(own, source=Source.DEVICE)
        derived = assert_rollup_is_exact()
        Recording.objects.filter(pk=response.json()["id"]).update(status=ProcessingStatus.PENDING)

        analyse_recording(recording_id=response.json()["id"], actor=ANALYSIS)

    assert Reading.objects.filter(source=Source.ECG).count() > 80
    assert assert_rollup_is_exact() == derived


def test_folding_the_default_partition_into_a_new_month_changes_no_minute(device, patient):
    april = datetime(2031, 4, 30, 23, 59, tzinfo=UTC)  # no partition yet: the default holds it
    seed(device, patient, values=(60, 70, 80), start=april, step=40 * SECOND)  # the last in May
    before = assert_rollup_is_exact()

    assert partitions.create_month(date(2031, 4, 1)) == 2

    assert assert_rollup_is_exact() == before
    assert [minute for _, _, _, minute, *_ in before] == [april, april + MINUTE]


def test_retention_deletes_the_minutes_of_the_readings_it_drops(device):
    partitions.create_month(date(2030, 6, 1))
    partitions.create_month(date(2030, 10, 1))
    moments = [
        datetime(2030, 6, 15, tzinfo=UTC),  # its month is dropped
        datetime(2030, 10, 2, tzinfo=UTC),  # before the cutoff, in a month that is kept
        datetime(2030, 10, 30, tzinfo=UTC),  # after the cutoff
        datetime(2004, 1, 1, tzinfo=UTC),  # in the default partition, deleted
        datetime(2031, 1, 10, tzinfo=UTC),  # in the default partition, kept
    ]
    store_readings([row(device, None, 70, moment) for moment in moments], source=Source.DEVICE)

    partitions.maintain(today=date(2031, 1, 20), retention_days=90)  # cutoff 2030-10-22

    minutes = [minute for _, _, _, minute, *_ in assert_rollup_is_exact()]
    assert minutes == [moments[1], moments[2], moments[4]]


def test_emptying_the_readings_table_empties_the_rollup(device):
    seed(device, values=(60, 70))

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE telemetry_reading")

    assert rollup() == []


@pytest.fixture
def random_readings(org_a, device, patient):
    """Two devices, two patients and readings of no patient, 1-decimal values at random instants
    over an hour and a half; returns the devices."""
    other = device.__class__.objects.create(
        organization=org_a, serial_number="HM-0002", model="HM-3L", lead_count=3
    )
    second = patient.__class__.objects.create(
        organization=org_a, patient_number="P-2", given_name="Alan", family_name="Turing"
    )
    draw = random.Random(20261120)  # noqa: S311 (test data)
    moments = sorted({draw.randrange(90 * 60 * 1000) for _ in range(3000)})
    rows = [
        row(
            draw.choice((device, other)),
            draw.choice((patient, second, None)),
            round(draw.uniform(40, 180), 1),
            T0 + timedelta(milliseconds=milliseconds),
        )
        for milliseconds in moments
    ]
    store_readings(rows, source=Source.DEVICE)
    return [device, other]


@pytest.mark.parametrize(
    ("start", "end", "bucket_minutes"),
    [
        (T0, T0 + timedelta(minutes=90), 5),
        (T0 + 7 * MINUTE, T0 + timedelta(minutes=61), 7),
        (T0 + 3 * MINUTE, T0 + timedelta(minutes=80, seconds=25, microseconds=5), 1),
        (T0 - timedelta(hours=2), T0 + timedelta(hours=2), 60),
    ],
)
@pytest.mark.parametrize("by_patient", [False, True])
def test_the_rollup_and_the_readings_give_the_same_buckets(
    random_readings, patient, start, end, bucket_minutes, by_patient
):
    def aggregate(*, from_minutes):
        return aggregate_readings(
            devices=random_readings,
            metric="heart_rate",
            start=start,
            end=end,
            bucket_minutes=bucket_minutes,
            stats=("mean", "min", "max", "count"),
            patient_id=patient.pk if by_patient else None,
            from_minutes=from_minutes,
        )

    with CaptureQueriesContext(connection) as captured:
        from_minutes = aggregate(from_minutes=True)
    from_readings = aggregate(from_minutes=False)

    assert "telemetry_reading_minute" in captured.captured_queries[0]["sql"]
    assert len(from_minutes.data) == 2
    entries, means = without_means(from_minutes.data)
    expected_entries, expected_means = without_means(from_readings.data)
    assert entries == expected_entries
    assert means == pytest.approx(expected_means, rel=1e-12)
    assert sorted(from_minutes.window.patient_ids(), key=str) == sorted(
        from_readings.window.patient_ids(), key=str
    )


def test_a_start_within_a_minute_reads_the_readings(random_readings):
    with CaptureQueriesContext(connection) as captured:
        aggregate_readings(
            devices=random_readings,
            metric="heart_rate",
            start=T0 + 30 * SECOND,
            end=T0 + timedelta(hours=1),
            bucket_minutes=5,
        )

    assert "telemetry_reading_minute" not in captured.captured_queries[0]["sql"]


def test_the_endpoint_answers_and_audits_as_the_readings_do(as_bob, random_readings, patient):
    query = {"start": "2026-11-20T08:00:00Z", "end": "2026-11-20T09:15:30Z", "stats": "count"}

    served = as_bob.get("/api/v1/readings/aggregate/", query).json()["data"]

    expected = aggregate_readings(
        devices=random_readings,
        metric="heart_rate",
        start=T0,
        end=T0 + timedelta(minutes=75, seconds=30),
        bucket_minutes=5,
        stats=("count",),
        from_minutes=False,
    )
    entries, means = without_means(served)
    expected_entries, expected_means = without_means(expected.data)
    assert entries == expected_entries
    assert means == pytest.approx(expected_means, rel=1e-12)
    event = AuditEvent.objects.get(action=AuditAction.READINGS_AGGREGATED)
    assert event.details["patient_ids"] == sorted(
        str(patient_id) for patient_id in expected.window.patient_ids() if patient_id
    )
    assert len(event.details["patient_ids"]) == 2
