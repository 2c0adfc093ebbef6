"""GET /api/v1/heart-rates/: reference 001's list (patient, device_id or device, start, end,
limit/offset), heart-rate readings only, newest first, audited; doctors, nurses and admins only."""

from datetime import timedelta

import pytest

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem
from heartmon.telemetry.models import Metric
from heartmon.telemetry.tests.seed import NOW, T0, seed

URL = "/api/v1/heart-rates/"


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def bpms(response):
    assert response.status_code == 200, response.content
    return [row["bpm"] for row in response.json()["results"]]


def test_a_nurse_lists_heart_rates_newest_first_in_the_reference_shape(as_bob, device, patient):
    first, second = seed(device, patient, values=(70, 71))
    seed(device, patient, values=(97,), metric=Metric.SPO2)

    body = as_bob.get(URL).json()

    assert body["count"] == 2
    assert body["results"] == [
        {
            "id": second.pk,
            "patient": str(patient.pk),
            "device": str(device.pk),
            "bpm": 71.0,
            "recorded_at": "2026-11-20T08:01:00Z",
            "source": "device",
        },
        {
            "id": first.pk,
            "patient": str(patient.pk),
            "device": str(device.pk),
            "bpm": 70.0,
            "recorded_at": "2026-11-20T08:00:00Z",
            "source": "device",
        },
    ]


def test_filters_as_reference_001(as_bob, org_a, device, patient):
    other = device.__class__.objects.create(
        organization=org_a, serial_number="HM-0002", model="HM-3L", lead_count=3
    )
    seed(device, patient, values=(70, 71), start=T0 - timedelta(days=1), step=timedelta(days=1))
    seed(other, values=(90,))

    assert bpms(as_bob.get(URL, {"patient": str(patient.pk)})) == [71.0, 70.0]
    assert bpms(as_bob.get(URL, {"device_id": str(other.pk)})) == [90.0]
    assert bpms(as_bob.get(URL, {"device": str(other.pk)})) == [90.0]
    assert bpms(as_bob.get(URL, {"start": "2026-11-20", "patient": str(patient.pk)})) == [71.0]
    assert bpms(as_bob.get(URL, {"end": "2026-11-19"})) == [70.0]
    assert bpms(as_bob.get(URL, {"start": "2026-11-20T07:00:00", "limit": 1, "offset": 1})) == [
        71.0
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2026-11-21", "end": "2026-11-20"}, "end"),
        ({"start": "tomorrow"}, "start"),
        ({"device_id": "HM-0001"}, "device_id"),
    ],
)
def test_bad_filters_are_a_400(as_bob, device, query, field):
    assert_problem(as_bob.get(URL, query), 400, field=field)


def test_each_request_is_audited_with_the_patients_returned(as_bob, bob, device, patient):
    seed(device, patient, values=(70,))

    as_bob.get(URL)

    event = AuditEvent.objects.get(action=AuditAction.READINGS_VIEWED)
    assert (event.actor, event.patient_id, event.details["count"]) == (bob, patient.pk, 1)


def test_the_query_count_does_not_grow_with_the_page(
    as_bob, device, patient, django_assert_num_queries
):
    seed(device, patient, values=range(60, 110))

    with django_assert_num_queries(3):  # count, page, audit event
        assert len(bpms(as_bob.get(URL, {"limit": 50}))) == 50


def test_another_organizations_heart_rates_never_appear(as_charlie, device):
    seed(device, values=(70,))

    assert bpms(as_charlie.get(URL)) == []
    assert bpms(as_charlie.get(URL, {"device_id": str(device.pk)})) == []


@pytest.mark.parametrize("client", ["as_sam", "as_tess", "as_device"])
def test_only_doctors_nurses_and_admins_read_heart_rates(request, client, device):
    seed(device, values=(70,))

    assert_problem(request.getfixturevalue(client).get(URL), 403)
