"""After the upload commits, the analysis runs (in-process without a broker) and its results
show on the recording."""

from heartmon.ecg import storage
from heartmon.ecg.models import Recording


def test_an_upload_is_analysed_after_commit(upload, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(seconds=60)

    assert response.status_code == 201
    recording = Recording.objects.get()
    assert recording.status == "done"
    assert recording.beat_count == len(storage.read_beats(recording)) > 60
    assert recording.mean_hr is not None
    assert 60 < recording.mean_hr < 90


def test_nothing_is_analysed_before_commit(upload, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        response = upload(seconds=10)

    assert response.json()["status"] == "pending"
    assert len(callbacks) == 1
