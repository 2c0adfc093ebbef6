"""DELETE /recordings/{id}/: admins only; the files go after the commit."""

from django.core.files.storage import default_storage

from heartmon.audit.models import AuditEvent
from heartmon.core.testing import assert_problem
from heartmon.devices.services.devices import has_history
from heartmon.ecg.models import Recording


def _chunk(recording) -> str:
    return f"{recording.storage_prefix}/chunks/0000000.zst"


def test_an_admin_deletes_a_recording_and_its_files(
    as_alice, recording, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.delete(f"/api/v1/ecg/recordings/{recording.pk}/")

    assert response.status_code == 204
    assert not Recording.objects.exists()
    assert not default_storage.exists(_chunk(recording))
    assert not default_storage.exists(recording.storage_prefix)
    event = AuditEvent.objects.get(action="ecg.deleted")
    assert (event.object_id, event.patient_id) == (str(recording.pk), recording.patient_id)


def test_others_may_not_delete(as_dana, as_bob, as_charlie, recording):
    assert_problem(as_dana.delete(f"/api/v1/ecg/recordings/{recording.pk}/"), 403)
    assert_problem(as_bob.delete(f"/api/v1/ecg/recordings/{recording.pk}/"), 403)
    assert_problem(as_charlie.delete(f"/api/v1/ecg/recordings/{recording.pk}/"), 404)
    assert default_storage.exists(_chunk(recording))


def test_a_device_with_recordings_has_history(recording, device):
    device.assignments.all().delete()

    assert has_history(device)
