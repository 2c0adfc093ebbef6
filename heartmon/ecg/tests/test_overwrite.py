"""The same data_id again: 409, unless overwrite=true replaces the recording in one step."""

import numpy as np
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from heartmon.audit.models import AuditEvent
from heartmon.clinic.models import Patient
from heartmon.core.testing import assert_problem
from heartmon.devices.models import Device
from heartmon.ecg import storage
from heartmon.ecg.models import Recording
from heartmon.ecg.tests import signals


def _stored_folders(recording_prefix_parent: str) -> list[str]:
    return default_storage.listdir(recording_prefix_parent)[0]


def test_the_same_data_id_again_is_a_conflict(upload, recording):
    body = assert_problem(upload(seconds=5), 409, field="data_id")

    assert "overwrite" in body["detail"]
    assert list(Recording.objects.all()) == [recording]
    assert storage.read_samples(recording, 0, 10).shape == (10, 2)


def test_overwrite_replaces_the_recording_and_its_files(
    upload, recording, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(seconds=5, overwrite="true")

    assert response.status_code == 201, response.content
    new = Recording.objects.get()
    assert new.pk != recording.pk
    assert new.sample_count == 5 * 360
    assert not default_storage.exists(f"{recording.storage_prefix}/chunks/0000000.zst")
    parent = new.storage_prefix.rsplit("/", 1)[0]
    assert _stored_folders(parent) == [str(new.pk)]
    event = AuditEvent.objects.get(action="ecg.replaced")
    assert event.details["replaced_id"] == str(recording.pk)


def test_another_organization_may_use_the_same_data_id(upload, recording, as_charlie, org_b):
    theirs = Device.objects.create(
        organization=org_b, serial_number="RC-1", model="HM-2L", lead_count=2
    )
    patient = Patient.objects.create(
        organization=org_b, patient_number="P-1", given_name="B", family_name="C"
    )

    response = upload(client=as_charlie, device=theirs, patient=str(patient.pk))

    assert response.status_code == 201, response.content
    assert Recording.objects.filter(data_id="rec-1").count() == 2


def test_a_failed_overwrite_keeps_the_old_recording(upload, recording):
    expected = storage.read_samples(recording, 0, recording.sample_count)

    response = upload(
        overwrite="true", file=SimpleUploadedFile("rec.dat", b"\x00" * 10)
    )  # truncated

    assert_problem(response, 400, field="file")
    assert list(Recording.objects.all()) == [recording]
    np.testing.assert_array_equal(storage.read_samples(recording, 0, 10**9), expected)
    parent = recording.storage_prefix.rsplit("/", 1)[0]
    assert _stored_folders(parent) == [str(recording.pk)]


def test_the_old_recording_is_readable_until_the_new_one_is_stored(upload, recording, monkeypatch):
    """Midway through storing the replacement, readers still get the old recording whole."""
    seen = []
    write_chunks = storage.write_chunks

    def watching(**kwargs):
        count = write_chunks(**kwargs)
        live = Recording.objects.get(data_id="rec-1")
        seen.append((live.pk, storage.read_samples(live, 0, live.sample_count).shape))
        return count

    monkeypatch.setattr(storage, "write_chunks", watching)

    response = upload(seconds=5, overwrite="true")

    assert response.status_code == 201
    assert seen == [(recording.pk, (70 * 360, 2))]
    assert Recording.objects.get().sample_count == 5 * 360


@pytest.mark.django_db(transaction=True)
def test_concurrent_overwrites_leave_one_recording_and_its_files_only(
    settings, alice, monitored, tmp_path
):
    """Two replacements at once: each either replaces or gets a 409; either way one recording
    remains and only its files."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    from heartmon.accounts.testing import client_for

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serializes writers: no race to observe")
    first = client_for(alice).post(
        "/api/v1/ecg/recordings/",
        signals.upload_fields(device=monitored, seconds=5),
        format="multipart",
    )
    assert first.status_code == 201

    def replace(seconds: int) -> int:
        try:
            body = signals.upload_fields(device=monitored, seconds=seconds, overwrite="true")
            return (
                client_for(alice)
                .post("/api/v1/ecg/recordings/", body, format="multipart")
                .status_code
            )
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(replace, [6, 7]))

    assert statuses in ([201, 201], [201, 409])
    live = Recording.objects.get()
    assert live.sample_count in {6 * 360, 7 * 360}
    parent = live.storage_prefix.rsplit("/", 1)[0]
    assert _stored_folders(parent) == [str(live.pk)]
