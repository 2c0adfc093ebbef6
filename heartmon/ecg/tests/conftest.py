"""ECG tests keep their files in temporary folders and upload files built from a slice of MIT-BIH
record 100 from `monitored`, the root cast's device assigned to the patient."""

import pytest
from rest_framework.test import APIClient

from heartmon.ecg.models import Recording
from heartmon.ecg.tests import signals


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "uploads"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()


@pytest.fixture
def upload(as_alice, monitored):
    """Upload a file as alice (or `client`); returns the response."""

    def post(client: APIClient = as_alice, **fields):
        body = signals.upload_fields(**{"device": monitored, **fields})
        return client.post("/api/v1/ecg/recordings/", body, format="multipart")

    return post


@pytest.fixture
def recording(upload):
    """A stored 70-second 2-lead WFDB recording (three 30 s chunks)."""
    response = upload(seconds=70)
    assert response.status_code == 201, response.content
    return Recording.objects.get(pk=response.json()["id"])
