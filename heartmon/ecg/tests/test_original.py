"""GET /recordings/{id}/original/: the upload byte for byte."""

import hashlib
import io
import zipfile

from heartmon.audit.models import AuditEvent
from heartmon.core.testing import assert_problem
from heartmon.ecg.models import Recording
from heartmon.ecg.tests import signals


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_an_edf_upload_comes_back_byte_for_byte(upload, as_dana):
    edf = signals.edf_file(signals.mitdb(5))
    upload(format="edf", seconds=5)
    recording = Recording.objects.get()

    response = as_dana.get(f"/api/v1/ecg/recordings/{recording.pk}/original/")

    assert response.status_code == 200
    assert _content(response) == edf
    assert response["X-Checksum-SHA256"] == hashlib.sha256(edf).hexdigest() == recording.checksum
    assert 'filename="rec.edf"' in response["Content-Disposition"]
    assert AuditEvent.objects.filter(action="ecg.original_downloaded").count() == 1


def test_a_wfdb_upload_comes_back_as_a_zip_of_both_files(as_dana, recording):
    header, data = signals.wfdb_files(signals.mitdb(70))

    response = as_dana.get(f"/api/v1/ecg/recordings/{recording.pk}/original/")

    with zipfile.ZipFile(io.BytesIO(_content(response))) as archive:
        assert archive.read("rec.hea") == header
        assert archive.read("rec.dat") == data
    assert recording.checksum == hashlib.sha256(data).hexdigest()
    assert recording.original_size == len(data)


def test_technicians_may_not_download_and_others_do_not_find_it(as_tess, as_charlie, recording):
    assert_problem(as_tess.get(f"/api/v1/ecg/recordings/{recording.pk}/original/"), 403)
    assert_problem(as_charlie.get(f"/api/v1/ecg/recordings/{recording.pk}/original/"), 404)
