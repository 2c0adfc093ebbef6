"""Readings are history: a device with readings is retired, not deleted; a patient with readings
keeps their number."""

from datetime import UTC, datetime

from heartmon.core.testing import assert_problem
from heartmon.devices.models import Device, DeviceStatus
from heartmon.telemetry.ingest import ReadingRow, store_readings
from heartmon.telemetry.models import Metric, Reading, Source


def _store_one(device, patient):
    row = ReadingRow(
        device.pk, patient.pk, Metric.HEART_RATE, 72.0, datetime(2026, 1, 1, tzinfo=UTC)
    )
    store_readings([row], source=Source.DEVICE)


def test_a_device_with_readings_is_kept_and_retired_not_deleted(as_alice, device, patient):
    _store_one(device, patient)

    assert as_alice.delete(f"/api/v1/devices/{device.pk}/").status_code == 409
    assert as_alice.post(f"/api/v1/devices/{device.pk}/retire/").status_code == 200

    device.refresh_from_db()
    assert device.status == DeviceStatus.RETIRED
    assert Reading.objects.filter(device=device).count() == 1


def test_a_device_without_readings_is_still_deleted(as_alice, device):
    assert as_alice.delete(f"/api/v1/devices/{device.pk}/").status_code == 204

    assert not Device.objects.filter(pk=device.pk).exists()


def test_a_patient_with_readings_keeps_their_number(as_alice, device, patient):
    _store_one(device, patient)

    body = assert_problem(
        as_alice.patch(f"/api/v1/patients/{patient.pk}/", {"patient_number": "P-9"}),
        409,
        field="patient_number",
    )

    assert "readings" in body["detail"]
    patient.refresh_from_db()
    assert patient.patient_number == "MRN-1"
