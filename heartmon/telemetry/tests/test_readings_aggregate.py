"""GET /api/v1/readings/aggregate/: reference 004's shape, buckets computed in SQL and aligned on
the window's start, empty buckets and idle devices left out, bucket budget, tenancy, audit."""

from datetime import timedelta

import pytest

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem
from heartmon.telemetry.models import Metric
from heartmon.telemetry.tests.seed import NOW, T0, seed

URL = "/api/v1/readings/aggregate/"
WINDOW = {"start": "2026-11-20T08:00:00Z", "end": "2026-11-20T08:20:00Z"}


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def data(response):
    assert response.status_code == 200, response.content
    return response.json()["data"]


def test_means_per_bucket_in_reference_004s_shape(as_bob, device, org_a):
    # 08:00..08:09 one a minute: 0..9, then nothing until 08:15..08:19: 20..24
    seed(device, values=range(10), step=timedelta(minutes=1))
    seed(device, values=range(20, 25), start=T0 + timedelta(minutes=15))

    body = as_bob.get(URL, {**WINDOW, "bucket_minutes": 10}).json()

    assert body == {
        "data": [
            {
                "device_id": str(device.pk),
                "customer_id": str(org_a.pk),
                "from": "2026-11-20T08:00:00+00:00",
                "to": "2026-11-20T08:20:00+00:00",
                "aggregation_size_minutes": 10,
                "aggregated_values": [
                    {"from": "2026-11-20T08:00:00+00:00", "value": 4.5},
                    {"from": "2026-11-20T08:10:00+00:00", "value": 22.0},
                ],
            }
        ]
    }


def test_buckets_are_aligned_on_the_start_and_empty_ones_left_out(as_bob, device):
    seed(device, values=(1, 2, 3), start=T0 + timedelta(minutes=3), step=timedelta(minutes=6))
    # 08:03, 08:09, 08:15 with buckets of 5 minutes from 08:02: [08:02-08:07) [08:07-...) ...

    values = data(
        as_bob.get(
            URL,
            {"start": "2026-11-20T08:02:00Z", "end": "2026-11-20T08:30:00Z", "bucket_minutes": 5},
        )
    )[0]["aggregated_values"]

    assert values == [
        {"from": "2026-11-20T08:02:00+00:00", "value": 1.0},
        {"from": "2026-11-20T08:07:00+00:00", "value": 2.0},
        {"from": "2026-11-20T08:12:00+00:00", "value": 3.0},
    ]


def test_other_statistics_sit_beside_the_mean(as_bob, device):
    seed(device, values=(60, 70, 80), step=timedelta(seconds=20))

    bucket = data(as_bob.get(URL, {**WINDOW, "stats": "mean,min,max,count"}))[0][
        "aggregated_values"
    ][0]

    assert bucket == {
        "from": "2026-11-20T08:00:00+00:00",
        "value": 70.0,
        "min": 60.0,
        "max": 80.0,
        "count": 3,
    }


def test_the_window_is_end_exclusive_and_one_metric_only(as_bob, device):
    seed(device, values=(60, 90), step=timedelta(minutes=20))  # 08:00 and 08:20 (the end)
    seed(device, values=(97,), metric=Metric.SPO2)

    assert data(as_bob.get(URL, {**WINDOW, "stats": "count"}))[0]["aggregated_values"] == [
        {"from": "2026-11-20T08:00:00+00:00", "value": 60.0, "count": 1}
    ]
    spo2 = data(as_bob.get(URL, {**WINDOW, "metric": "spo2"}))[0]["aggregated_values"]
    assert spo2 == [{"from": "2026-11-20T08:00:00+00:00", "value": 97.0}]


def test_reference_004s_generic_readings_are_asked_for_by_metric(as_bob, device):
    seed(device, values=(0.5, 0.7), metric=Metric.GENERIC)

    assert data(as_bob.get(URL, WINDOW)) == []  # heart_rate by default
    assert data(as_bob.get(URL, {**WINDOW, "metric": "generic"}))[0]["aggregated_values"] == [
        {"from": "2026-11-20T08:00:00+00:00", "value": pytest.approx(0.6)}
    ]


def test_devices_without_readings_are_left_out_and_each_device_is_its_own_entry(
    as_bob, org_a, device
):
    make = device.__class__.objects.create
    busy = make(organization=org_a, serial_number="HM-0002", model="HM-3L", lead_count=3)
    make(organization=org_a, serial_number="HM-0003", model="HM-3L", lead_count=3)
    seed(device, values=(60,))
    seed(busy, values=(80,))

    entries = data(as_bob.get(URL, WINDOW))

    assert sorted((e["device_id"], e["aggregated_values"][0]["value"]) for e in entries) == sorted(
        [(str(device.pk), 60.0), (str(busy.pk), 80.0)]
    )
    only = data(as_bob.get(URL, {**WINDOW, "device": str(busy.pk)}))
    assert [e["device_id"] for e in only] == [str(busy.pk)]


def test_filters_by_patient(as_bob, device, patient):
    seed(device, patient, values=(60,))
    seed(device, values=(100,), start=T0 + timedelta(minutes=1))

    entry = data(as_bob.get(URL, {**WINDOW, "patient": str(patient.pk)}))[0]

    assert entry["aggregated_values"] == [{"from": "2026-11-20T08:00:00+00:00", "value": 60.0}]


def test_the_window_defaults_to_the_last_24_hours(as_bob, device):
    seed(device, values=(50, 60, 70), start=NOW - timedelta(hours=25), step=timedelta(hours=12))

    entry = data(as_bob.get(URL, {"bucket_minutes": 1440, "stats": "count"}))[0]

    assert (entry["from"], entry["to"]) == (
        "2026-11-19T12:00:00+00:00",
        "2026-11-20T12:00:00+00:00",
    )
    assert entry["aggregated_values"] == [
        {"from": "2026-11-19T12:00:00+00:00", "value": 65.0, "count": 2}
    ]


def test_the_default_window_starts_on_a_whole_minute(as_bob, device, time_machine):
    time_machine.move_to(NOW + timedelta(seconds=42.5), tick=False)
    seed(device, values=(50,), start=NOW - timedelta(hours=24))

    entry = data(as_bob.get(URL, {"bucket_minutes": 60}))[0]

    assert (entry["from"], entry["to"]) == (
        "2026-11-19T12:00:00+00:00",
        "2026-11-20T12:00:42.500000+00:00",
    )
    assert entry["aggregated_values"] == [{"from": "2026-11-19T12:00:00+00:00", "value": 50.0}]


def test_dates_cover_whole_days(as_bob, device):
    seed(device, values=(60, 80), start=T0 - timedelta(days=1), step=timedelta(hours=14))

    entry = data(
        as_bob.get(URL, {"start": "2026-11-19", "end": "2026-11-19", "bucket_minutes": 1440})
    )[0]

    assert (entry["from"], entry["to"]) == (
        "2026-11-19T00:00:00+00:00",
        "2026-11-20T00:00:00+00:00",
    )
    assert entry["aggregated_values"] == [{"from": "2026-11-19T00:00:00+00:00", "value": 70.0}]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"bucket_minutes": 0}, "bucket_minutes"),
        ({"bucket_minutes": "five"}, "bucket_minutes"),
        ({"bucket_minutes": 10_000_000}, "bucket_minutes"),
        ({"start": "2026-11-20T09:00:00Z", "end": "2026-11-20T08:00:00Z"}, "end"),
        ({"start": "2026-11-20T08:00:00Z", "end": "2026-11-20T08:00:00Z"}, "end"),
        ({"start": "noon"}, "start"),
        ({"stats": "mean,median"}, "stats"),
        ({"metric": "weight"}, "metric"),
        ({"device": "7"}, "device"),
    ],
)
def test_bad_parameters_are_a_400(as_bob, device, query, field):
    assert_problem(as_bob.get(URL, query), 400, field=field)


def test_more_than_100000_buckets_is_a_400(as_bob, device):
    query = {"start": "2026-01-01", "end": "2026-11-20", "bucket_minutes": 1}

    problem = assert_problem(as_bob.get(URL, query), 400, field="bucket_minutes")

    assert "100,000" in problem["detail"]
    assert data(as_bob.get(URL, {**query, "bucket_minutes": 5})) == []  # 92,160 buckets


def test_the_bucket_budget_counts_every_device_in_scope(as_bob, org_a, device):
    device.__class__.objects.create(
        organization=org_a, serial_number="HM-0002", model="HM-3L", lead_count=3
    )
    query = {"start": "2026-10-01", "end": "2026-11-20", "bucket_minutes": 1}  # 72,000 each

    assert_problem(as_bob.get(URL, query), 400, field="bucket_minutes")
    assert data(as_bob.get(URL, {**query, "device": str(device.pk)})) == []


def test_each_request_is_audited_with_the_patients_aggregated(as_bob, bob, device, patient):
    seed(device, patient, values=(60,))

    as_bob.get(URL, WINDOW)

    event = AuditEvent.objects.get(action=AuditAction.READINGS_AGGREGATED)
    assert (event.actor, event.patient_id) == (bob, patient.pk)
    assert event.details["patient_ids"] == [str(patient.pk)]
    assert event.details["device_ids"] == [str(device.pk)]


@pytest.mark.parametrize(
    ("start", "buckets"),
    [("2026-11-20T08:00:00Z", 20), ("2026-11-20T07:59:30Z", 21)],  # PostgreSQL: rollup or not
)
def test_a_fixed_number_of_queries_whatever_the_window(
    as_bob, device, django_assert_num_queries, start, buckets
):
    seed(device, values=range(60, 180), step=timedelta(seconds=10))

    with django_assert_num_queries(4):  # devices, buckets, patients, audit event
        response = as_bob.get(URL, {**WINDOW, "start": start, "bucket_minutes": 1})

    assert len(data(response)[0]["aggregated_values"]) == buckets


def test_a_window_ending_within_a_minute_ends_there(as_bob, device):
    seed(device, values=(60, 70, 80), start=T0 + timedelta(minutes=19), step=timedelta(seconds=20))
    # 08:19:00, 08:19:20, 08:19:40; the window ends at 08:19:30

    query = {**WINDOW, "end": "2026-11-20T08:19:30Z", "stats": "count"}

    values = data(as_bob.get(URL, query))[0]["aggregated_values"]

    assert values == [{"from": "2026-11-20T08:15:00+00:00", "value": 65.0, "count": 2}]


def test_a_user_sees_only_their_organizations_devices(as_charlie, device, org_b_device):
    seed(device, values=(60,))
    seed(org_b_device, values=(90,))

    entries = data(as_charlie.get(URL, WINDOW))
    assert [e["device_id"] for e in entries] == [str(org_b_device.pk)]
    assert data(as_charlie.get(URL, {**WINDOW, "device": str(device.pk)})) == []


def test_a_superuser_sees_every_organizations_devices(as_root, device, org_b_device):
    seed(device, values=(60,))
    seed(org_b_device, values=(90,))

    assert len(data(as_root.get(URL, WINDOW))) == 2


@pytest.mark.parametrize("client", ["as_sam", "as_tess", "as_device"])
def test_staff_technicians_and_devices_may_not_aggregate(request, client, device):
    assert_problem(request.getfixturevalue(client).get(URL, WINDOW), 403)
