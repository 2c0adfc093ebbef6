"""GET/PATCH/DELETE /api/v1/readings/{id}/: one reading read (audited), corrected within its
metric's bounds (audited with both versions) or deleted (audited); 404 for other organizations,
403 for roles that may not correct."""

from datetime import timedelta

import pytest

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem
from heartmon.telemetry.models import Metric, Reading
from heartmon.telemetry.tests.seed import NOW, T0, seed


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def reading(device, patient) -> Reading:
    return seed(device, patient, values=(72,))[0]


def url(reading):
    return f"/api/v1/readings/{reading.pk}/"


def test_a_nurse_reads_one_reading_and_it_is_audited(as_bob, reading, patient):
    response = as_bob.get(url(reading))

    assert response.status_code == 200
    assert (response.json()["id"], response.json()["value"]) == (reading.pk, 72.0)
    event = AuditEvent.objects.get(action=AuditAction.READINGS_VIEWED)
    assert (event.patient_id, event.object_id) == (patient.pk, str(reading.pk))


def test_a_nurse_corrects_a_value_and_time(as_bob, bob, reading, patient):
    response = as_bob.patch(url(reading), {"value": 74, "recorded_at": "2026-11-20T08:00:30Z"})

    assert response.status_code == 200, response.content
    assert (response.json()["value"], response.json()["recorded_at"]) == (
        74.0,
        "2026-11-20T08:00:30Z",
    )
    reading.refresh_from_db()
    assert (reading.value, reading.recorded_at) == (74.0, T0 + timedelta(seconds=30))
    event = AuditEvent.objects.get(action=AuditAction.READING_CORRECTED)
    assert (event.actor, event.patient_id, event.object_id) == (bob, patient.pk, str(reading.pk))
    assert event.details == {
        "before": {"metric": "heart_rate", "value": 72.0, "recorded_at": T0.isoformat()},
        "after": {
            "metric": "heart_rate",
            "value": 74.0,
            "recorded_at": (T0 + timedelta(seconds=30)).isoformat(),
        },
        "device_id": str(reading.device_id),
    }


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"value": 301}, "value"),
        ({"value": "fast"}, "value"),
        ({"recorded_at": "2026-11-20T12:30:00Z"}, "recorded_at"),
        ({"recorded_at": "1999-12-31T23:59:59Z"}, "recorded_at"),
        ({"recorded_at": "later"}, "recorded_at"),
        ({}, "non_field_errors"),
    ],
)
def test_bad_corrections_are_a_400_and_change_nothing(as_bob, reading, body, field):
    assert_problem(as_bob.patch(url(reading), body), 400, field=field)

    reading.refresh_from_db()
    assert (reading.value, reading.recorded_at) == (72.0, T0)
    assert not AuditEvent.objects.filter(action=AuditAction.READING_CORRECTED).exists()


def test_the_bounds_are_the_readings_metric(as_bob, device):
    spo2 = seed(device, values=(97,), metric=Metric.SPO2)[0]

    assert_problem(as_bob.patch(url(spo2), {"value": 120}), 400, field="value")
    assert as_bob.patch(url(spo2), {"value": 95}).status_code == 200


def test_moving_onto_another_readings_instant_is_a_409(as_bob, device, reading):
    seed(device, values=(80,), start=T0 + timedelta(minutes=1))

    assert_problem(as_bob.patch(url(reading), {"recorded_at": "2026-11-20T08:01:00Z"}), 409)
    reading.refresh_from_db()
    assert reading.recorded_at == T0


def test_an_admin_deletes_a_reading_and_it_is_audited(as_alice, alice, reading, patient):
    assert as_alice.delete(url(reading)).status_code == 204

    assert not Reading.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.READING_DELETED)
    assert (event.actor, event.patient_id) == (alice, patient.pk)
    assert event.details["value"] == 72.0


def test_put_is_not_offered(as_bob, reading):
    assert_problem(as_bob.put(url(reading), {"value": 74}), 405)


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_organizations_reading_is_a_404(as_charlie, reading, method):
    assert_problem(getattr(as_charlie, method)(url(reading), {"value": 74}), 404)

    assert Reading.objects.get().value == 72.0


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_staff_may_not_correct_readings(as_sam, reading, method):
    assert_problem(getattr(as_sam, method)(url(reading), {"value": 74}), 403)

    assert Reading.objects.get().value == 72.0


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_a_device_key_may_not_touch_a_stored_reading(as_device, reading, method):
    assert_problem(getattr(as_device, method)(url(reading), {"value": 74}), 403)


def test_an_unknown_id_is_a_404(as_bob, db):
    assert_problem(as_bob.get("/api/v1/readings/999999/"), 404)
