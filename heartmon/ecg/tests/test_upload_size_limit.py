"""Uploads over ECG_MAX_UPLOAD_MB are a 413: early by Content-Length, else while streaming."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from heartmon.core.testing import assert_problem
from heartmon.ecg.models import Recording

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _one_megabyte(settings):
    settings.ECG_MAX_UPLOAD_MB = 1


def _upload_of(upload, size: int):
    return upload(format="int16", file=SimpleUploadedFile("big.bin", bytes(size)))


def test_a_body_larger_than_the_limit_is_refused_before_reading(upload, settings):
    response = _upload_of(upload, 2 * MB)

    assert_problem(response, 413)
    assert not Recording.objects.exists()
    assert not any(settings.FILE_UPLOAD_TEMP_DIR.iterdir())


def test_files_over_the_limit_are_refused_while_streaming(upload, settings):
    """Just over the limit: within the Content-Length allowance for other fields."""
    response = _upload_of(upload, MB + 4096)

    assert_problem(response, 413)
    assert not Recording.objects.exists()
    assert not any(settings.FILE_UPLOAD_TEMP_DIR.iterdir())


def test_a_file_at_the_limit_is_taken(upload):
    response = _upload_of(upload, MB - 4)  # whole samples of two leads

    assert response.status_code == 201, response.content
