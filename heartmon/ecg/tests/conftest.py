"""The ECG cast beside the root one: the 3-lead device assigned to the patient, a doctor; files in
temporary folders; upload files built from a slice of MIT-BIH record 100."""

import pytest
from rest_framework.test import APIClient

from heartmon.clinic.services.assignments import assign_device
from heartmon.core.roles import Role
from heartmon.core.testing import client_for, make_user
from heartmon.devices.models import Device
from heartmon.ecg.models import Recording
from heartmon.ecg.tests import signals


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "uploads"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()


@pytest.fixture
def doris(org_a):
    return make_user(org_a, "doris@stmary.example", Role.DOCTOR)


@pytest.fixture
def as_doris(doris) -> APIClient:
    return client_for(doris)


@pytest.fixture
def device(org_a, patient, alice) -> Device:
    device = Device.objects.create(
        organization=org_a, serial_number="HM-0001", model="HM-3L", lead_count=3
    )
    assign_device(device=device, patient=patient, actor=alice.as_actor())
    return device


@pytest.fixture
def upload(as_alice, device):
    """Upload a file as alice (or `client`); returns the response."""

    def post(client: APIClient = as_alice, **fields):
        body = signals.upload_fields(**{"device": device, **fields})
        return client.post("/api/v1/ecg/recordings/", body, format="multipart")

    return post


@pytest.fixture
def recording(upload):
    """A stored 70-second 2-lead WFDB recording (three 30 s chunks)."""
    response = upload(seconds=70)
    assert response.status_code == 201, response.content
    return Recording.objects.get(pk=response.json()["id"])
