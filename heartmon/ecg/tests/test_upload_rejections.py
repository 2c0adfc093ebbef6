"""Bad uploads are a clear 400 (or 409/413) and leave nothing behind: no row, no stored file,
no temporary file."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from heartmon.core.testing import assert_problem
from heartmon.ecg.models import Recording
from heartmon.ecg.tests import signals


@pytest.fixture
def nothing_left(db, settings):
    """After the test: no recording, no stored file, no temporary upload file."""
    yield
    assert not Recording.objects.exists()
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))
    assert not any(settings.FILE_UPLOAD_TEMP_DIR.iterdir())


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _truncated(format_name: str):
    full = signals.upload_fields(device=None, format=format_name, seconds=5)["file"].read()
    return _file("cut", full[: len(full) // 2 + 1])


pytestmark = pytest.mark.usefixtures("nothing_left")


@pytest.mark.parametrize("format_name", ["wfdb", "edf", "int16"])
def test_a_truncated_file_is_refused(upload, format_name):
    response = upload(format=format_name, file=_truncated(format_name))

    body = assert_problem(response, 400, field="file")
    assert "truncated" in body["detail"] or "not EDF" in body["detail"]


@pytest.mark.parametrize(
    ("format_name", "content", "field"),
    [
        ("wfdb", b"\x00\x01garbage", "file"),
        ("edf", b"0       not an EDF header at all" * 10, "file"),
        ("csv", b"MLII,V5\n0.1,0.2\n0.3\n", "file"),
        ("csv", b"MLII,V5\n0.1,abc\n", "file"),
        ("csv", b"0.1,0.2\n0.3,0.4\n", "file"),
        ("csv", b"\xff\xfe\x00\x01", "file"),
        ("csv", b"MLII,V5\n", "file"),
        ("csv", b"MLII,V5\n40,0\n", "file"),
        ("int16", b"", "file"),
    ],
)
def test_a_corrupt_file_is_refused(upload, format_name, content, field):
    assert_problem(upload(format=format_name, file=_file("bad", content)), 400, field=field)


def test_a_corrupt_wfdb_header_is_refused(upload):
    assert_problem(upload(header=_file("rec.hea", b"this is not\na header\n")), 400, field="header")


def test_a_wfdb_header_naming_a_path_is_refused(upload):
    header, _ = signals.wfdb_files(signals.mitdb(2))
    traversal = header.replace(b"rec.dat", b"../../etc/passwd")

    assert_problem(upload(header=_file("rec.hea", traversal)), 400, field="header")


def test_a_wfdb_record_without_header_is_refused(upload):
    assert_problem(upload(header=None), 400, field="header")


def test_an_unknown_format_is_refused(upload):
    assert_problem(upload(format="mp3", file=_file("a.mp3", b"ID3")), 400, field="format")


@pytest.mark.parametrize("rate", [49, 10_001])
def test_a_sample_rate_outside_50_to_10000_hz_is_refused(upload, rate):
    assert_problem(upload(format="int16", sample_rate=rate), 400, field="sample_rate")


def test_a_file_sample_rate_outside_50_to_10000_hz_is_refused(upload):
    edf = signals.edf_file(signals.mitdb(2)[:60], rate=30)

    assert_problem(upload(format="edf", file=_file("slow.edf", edf)), 400, field="file")


def test_more_leads_than_the_device_records_are_refused(upload, device):
    device.lead_count = 1
    device.save()

    body = assert_problem(upload(), 400, field="file")

    assert "2 leads" in body["detail"]


def test_an_end_time_that_disagrees_with_the_file_is_refused(upload):
    stated_end = signals.START.replace(minute=1)  # 60 s, the file holds 10 s

    assert_problem(upload(end_time=stated_end.isoformat()), 400, field="end_time")


def test_a_recording_ending_in_the_future_is_refused(upload):
    assert_problem(upload(start_time="2999-01-01T00:00:00Z"), 400, field="start_time")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"format": "int16", "gain": None}, "gain"),
        ({"format": "int16", "leads": None}, "leads"),
        ({"format": "int16", "leads": "I,I"}, "leads"),
        ({"format": "int16", "gain": "200,200,200"}, "gain"),
        ({"format": "int16", "gain": "0"}, "gain"),
        ({"format": "csv", "sample_rate": None}, "sample_rate"),
        ({"format": "edf", "sample_rate": 360}, "sample_rate"),
        ({"format": "edf", "leads": "I"}, "leads"),
        ({"start_time": "yesterday"}, "start_time"),
        ({"start_time": "1990-01-01T00:00:00Z"}, "start_time"),
        ({"data_id": ""}, "data_id"),
        ({"kind": "cooked"}, "kind"),
    ],
)
def test_bad_or_missing_parameters_are_refused(upload, fields, field):
    assert_problem(upload(**fields), 400, field=field)


def test_another_organizations_device_or_patient_is_refused(upload, as_charlie, device, patient):
    assert_problem(upload(client=as_charlie), 400, field="device")
    assert_problem(upload(patient=str(patient.pk), device=None, client=as_charlie), 400)


def test_a_device_without_patient_needs_one_named(upload, device, alice):
    from heartmon.clinic.services.assignments import end_assignments

    device.assignments.update(started_at=signals.START + timedelta(days=1))
    end_assignments(assignments=device.assignments.all(), actor=alice.as_actor())

    assert_problem(upload(), 400, field="patient")
