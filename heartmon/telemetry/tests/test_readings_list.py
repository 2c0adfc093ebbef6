"""GET /api/v1/readings/: filters, time windows, cursor pages stable under inserts, limit/offset,
one audit event per request; other organizations' readings never appear."""

from datetime import timedelta

import pytest

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem
from heartmon.telemetry.models import Metric, Source
from heartmon.telemetry.tests.seed import NOW, T0, seed

URL = "/api/v1/readings/"


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def values(response):
    assert response.status_code == 200, response.content
    return [row["value"] for row in response.json()["results"]]


def test_a_nurse_lists_readings_oldest_first(as_bob, device, patient):
    first, _ = seed(device, patient, values=(70, 71))

    body = as_bob.get(URL).json()

    assert [row["value"] for row in body["results"]] == [70.0, 71.0]
    assert body["results"][0] == {
        "id": first.pk,
        "device": str(device.pk),
        "patient": str(patient.pk),
        "metric": "heart_rate",
        "value": 70.0,
        "recorded_at": "2026-11-20T08:00:00Z",
        "received_at": "2026-11-20T12:00:00Z",
        "source": "device",
    }
    assert set(body) == {"next", "previous", "results"}


def test_newest_first_on_request(as_bob, device):
    seed(device, values=(70, 71, 72))

    assert values(as_bob.get(URL, {"ordering": "-recorded_at"})) == [72.0, 71.0, 70.0]


def test_filters_by_patient_device_metric_and_source(as_bob, org_a, device, patient):
    other = device.__class__.objects.create(
        organization=org_a, serial_number="HM-0002", model="HM-3L", lead_count=3
    )
    seed(device, patient, values=(70,))
    seed(other, values=(80,))
    seed(device, patient, values=(97,), metric=Metric.SPO2)
    seed(device, patient, values=(75,), start=T0 + timedelta(hours=1), source=Source.MANUAL)

    assert values(as_bob.get(URL, {"patient": str(patient.pk)})) == [70.0, 97.0, 75.0]
    assert values(as_bob.get(URL, {"device": str(other.pk)})) == [80.0]
    assert values(as_bob.get(URL, {"metric": "spo2"})) == [97.0]
    assert values(as_bob.get(URL, {"source": "manual"})) == [75.0]


def test_start_and_end_take_iso_times_dates_and_epoch_seconds(as_bob, device):
    seed(device, values=(1, 2, 3, 4), start=T0 - timedelta(days=1), step=timedelta(hours=12))
    # 2026-11-19 08:00, 20:00, 2026-11-20 08:00, 20:00 (the last one in the future is fine here)

    assert values(as_bob.get(URL, {"start": "2026-11-20"})) == [3.0, 4.0]
    assert values(as_bob.get(URL, {"end": "2026-11-19"})) == [1.0, 2.0]  # the whole day
    assert values(as_bob.get(URL, {"start": "2026-11-19T20:00:00+00:00"})) == [2.0, 3.0, 4.0]
    assert values(as_bob.get(URL, {"end": "2026-11-20T08:00:00Z"})) == [1.0, 2.0]  # exclusive
    assert values(as_bob.get(URL, {"start": str(int(T0.timestamp()))})) == [3.0, 4.0]
    assert values(as_bob.get(f"{URL}?start=2026-11-20T09:00:00 01:00")) == [3.0, 4.0]  # raw "+"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "yesterday"}, "start"),
        ({"end": "2026-13-01"}, "end"),
        ({"start": "2026-11-20", "end": "2026-11-19"}, "end"),
        ({"metric": "weight"}, "metric"),
        ({"patient": "42"}, "patient"),
        ({"ordering": "value"}, "ordering"),
    ],
)
def test_bad_filters_are_a_400(as_bob, device, query, field):
    assert_problem(as_bob.get(URL, query), 400, field=field)


def test_cursor_pages_stay_stable_while_readings_arrive(as_bob, device):
    seed(device, values=range(60, 70))

    page = as_bob.get(URL, {"limit": 4}).json()
    seed(device, values=(99,), start=T0 - timedelta(minutes=5))  # lands before the cursor
    following = as_bob.get(page["next"]).json()

    assert [row["value"] for row in page["results"]] == [60.0, 61.0, 62.0, 63.0]
    assert [row["value"] for row in following["results"]] == [64.0, 65.0, 66.0, 67.0]


def test_limit_and_offset_page_as_the_reference_systems_do(as_bob, device):
    seed(device, values=range(60, 70))

    body = as_bob.get(URL, {"limit": 3, "offset": 6}).json()

    assert body["count"] == 10
    assert [row["value"] for row in body["results"]] == [66.0, 67.0, 68.0]
    assert values(as_bob.get(URL, {"limit": 2, "offset": 0, "ordering": "-recorded_at"})) == [
        69.0,
        68.0,
    ]


def test_each_request_is_audited_with_the_patients_returned(as_bob, bob, device, patient):
    seed(device, patient, values=(70, 71))

    as_bob.get(URL, {"metric": "heart_rate"})

    event = AuditEvent.objects.get(action=AuditAction.READINGS_VIEWED)
    assert (event.actor, event.patient_id) == (bob, patient.pk)
    assert event.details == {
        "patient_ids": [str(patient.pk)],
        "count": 1,
        "query": "metric=heart_rate",
        "readings": 2,
    }


def test_the_query_count_does_not_grow_with_the_page(
    as_bob, device, patient, django_assert_num_queries
):
    seed(device, patient, values=range(60, 160))

    with django_assert_num_queries(2):  # the page, the audit event
        assert len(values(as_bob.get(URL, {"limit": 100}))) == 100


def test_another_organizations_readings_never_appear(as_charlie, device, org_b_device):
    seed(device, values=(70,))
    seed(org_b_device, values=(80,))

    assert values(as_charlie.get(URL)) == [80.0]
    assert values(as_charlie.get(URL, {"device": str(device.pk)})) == []


def test_a_superuser_sees_every_organizations_readings(as_root, device, org_b_device):
    seed(device, values=(70,))
    seed(org_b_device, values=(80,), start=T0 + timedelta(seconds=1))

    assert values(as_root.get(URL)) == [70.0, 80.0]


@pytest.mark.parametrize("client", ["as_sam", "as_tess"])
def test_staff_and_technicians_may_not_read_readings(request, client, device):
    seed(device, values=(70,))

    assert_problem(request.getfixturevalue(client).get(URL), 403)
    assert not AuditEvent.objects.filter(action=AuditAction.READINGS_VIEWED).exists()


def test_a_device_key_reads_nothing(as_device, device):
    seed(device, values=(70,))

    assert_problem(as_device.get(URL), 403)
