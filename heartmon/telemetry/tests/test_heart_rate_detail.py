"""GET/PATCH/DELETE /api/v1/heart-rates/{id}/: one heart rate read (audited), its bpm or time
corrected (validated; audited with both versions) or deleted (audited); other metrics are not
heart rates; 404 for other organizations; 403 for roles that may not correct."""

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
def heart_rate(device, patient) -> Reading:
    return seed(device, patient, values=(72,))[0]


def url(reading):
    return f"/api/v1/heart-rates/{reading.pk}/"


def test_a_doctor_reads_one_heart_rate_and_it_is_audited(as_bob, heart_rate, patient):
    response = as_bob.get(url(heart_rate))

    assert response.status_code == 200
    assert (response.json()["bpm"], response.json()["patient"]) == (72.0, str(patient.pk))
    event = AuditEvent.objects.get(action=AuditAction.READINGS_VIEWED)
    assert (event.patient_id, event.object_id) == (patient.pk, str(heart_rate.pk))


def test_another_metric_is_not_a_heart_rate(as_bob, device):
    spo2 = seed(device, values=(97,), metric=Metric.SPO2)[0]

    assert_problem(as_bob.get(url(spo2)), 404)
    assert_problem(as_bob.patch(url(spo2), {"bpm": 80}), 404)


def test_a_nurse_corrects_the_bpm_and_time(as_bob, bob, heart_rate, patient):
    response = as_bob.patch(url(heart_rate), {"bpm": 75, "recorded_at": "2026-11-20T07:59:00Z"})

    assert response.status_code == 200, response.content
    assert (response.json()["bpm"], response.json()["recorded_at"]) == (
        75.0,
        "2026-11-20T07:59:00Z",
    )
    heart_rate.refresh_from_db()
    assert (heart_rate.value, heart_rate.recorded_at) == (75.0, T0 - timedelta(minutes=1))
    event = AuditEvent.objects.get(action=AuditAction.READING_CORRECTED)
    assert (event.actor, event.patient_id) == (bob, patient.pk)
    assert (event.details["before"]["value"], event.details["after"]["value"]) == (72.0, 75.0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"bpm": 0}, "bpm"),
        ({"bpm": 10_000}, "bpm"),
        ({"recorded_at": "2027-01-01T00:00:00Z"}, "recorded_at"),
        ({"value": 80}, "non_field_errors"),
    ],
)
def test_bad_corrections_are_a_400_and_change_nothing(as_bob, heart_rate, body, field):
    assert_problem(as_bob.patch(url(heart_rate), body), 400, field=field)

    heart_rate.refresh_from_db()
    assert heart_rate.value == 72.0
    assert not AuditEvent.objects.filter(action=AuditAction.READING_CORRECTED).exists()


def test_a_time_already_taken_is_a_409(as_bob, device, heart_rate):
    seed(device, values=(90,), start=T0 + timedelta(minutes=5))

    assert_problem(as_bob.patch(url(heart_rate), {"recorded_at": "2026-11-20T08:05:00Z"}), 409)


def test_a_nurse_deletes_a_heart_rate_and_it_is_audited(as_bob, heart_rate, patient):
    assert as_bob.delete(url(heart_rate)).status_code == 204

    assert not Reading.objects.exists()
    assert AuditEvent.objects.get(action=AuditAction.READING_DELETED).patient_id == patient.pk


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_organizations_heart_rate_is_a_404(as_charlie, heart_rate, method):
    assert_problem(getattr(as_charlie, method)(url(heart_rate), {"bpm": 80}), 404)

    assert Reading.objects.get().value == 72.0


@pytest.mark.parametrize(
    ("client", "method"), [("as_sam", "patch"), ("as_sam", "delete"), ("as_tess", "get")]
)
def test_roles_without_the_right_get_a_403(request, client, method, heart_rate):
    assert_problem(
        getattr(request.getfixturevalue(client), method)(url(heart_rate), {"bpm": 80}), 403
    )

    assert Reading.objects.get().value == 72.0


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_a_device_key_may_not_touch_a_stored_heart_rate(as_device, heart_rate, method):
    assert_problem(getattr(as_device, method)(url(heart_rate), {"bpm": 80}), 403)
