"""/api/v1/firmware/: multipart uploads, size and SHA-256 computed by the server."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from heartmon.core.testing import assert_problem
from heartmon.devices.models import Firmware

URL = "/api/v1/firmware/"
IMAGE = b"\x7fELF firmware image " * 100


def upload(client, **fields):
    body = {"model": "HM-3L", "version": "1.5.0", "release_notes": "Faster.", **fields}
    body.setdefault("file", SimpleUploadedFile("fw.bin", IMAGE))
    return client.post(URL, body, format="multipart")


def test_a_technician_uploads_firmware(as_tess, tess, org_a, settings):
    response = upload(as_tess, min_version="1.2.0")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["size"] == len(IMAGE)
    assert body["sha256"] == hashlib.sha256(IMAGE).hexdigest()
    firmware = Firmware.objects.get()
    assert (firmware.organization, firmware.uploaded_by, firmware.min_version) == (
        org_a,
        tess,
        "1.2.0",
    )
    assert firmware.file.read() == IMAGE
    assert str(settings.MEDIA_ROOT) in firmware.file.path
    assert "file" not in body


def test_a_matching_client_checksum_is_accepted(as_alice):
    sha256 = hashlib.sha256(IMAGE).hexdigest().upper()
    assert upload(as_alice, sha256=sha256).status_code == 201


def test_a_checksum_mismatch_is_refused_and_nothing_stored(as_alice, settings):
    body = assert_problem(upload(as_alice, sha256="0" * 64), 400, field="sha256")

    assert "checksum mismatch" in body["detail"].lower()
    assert body["type"].endswith("checksum-mismatch")
    assert not Firmware.objects.exists()
    assert not (settings.MEDIA_ROOT / "firmware").exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"version": "1.5"}, "version"),
        ({"version": ""}, "version"),
        ({"min_version": "one"}, "min_version"),
        ({"min_version": "2.0.0"}, "min_version"),
        ({"model": ""}, "model"),
        ({"file": SimpleUploadedFile("empty.bin", b"")}, "file"),
        ({"file": ""}, "file"),
        ({"sha256": "abc"}, "sha256"),
    ],
)
def test_bad_uploads_are_refused(as_alice, fields, field):
    assert_problem(upload(as_alice, **fields), 400, field=field)
    assert not Firmware.objects.exists()


def test_the_same_version_twice_is_a_409(as_alice):
    upload(as_alice)

    assert_problem(upload(as_alice), 409, field="version")
    assert Firmware.objects.count() == 1


def test_an_image_over_the_limit_is_a_413(as_alice, settings):
    settings.FIRMWARE_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.bin", b"\0" * (1024 * 1024 + 1))

    assert_problem(upload(as_alice, file=big), 413)
    assert not Firmware.objects.exists()


def test_json_is_not_an_upload(as_alice):
    assert_problem(as_alice.post(URL, {"model": "HM-3L", "version": "1.0.0"}), 415)


def test_list_show_and_delete(as_alice, django_capture_on_commit_callbacks):
    firmware_id = upload(as_alice).json()["id"]
    path = Firmware.objects.get().file.path

    assert [row["version"] for row in as_alice.get(URL).json()["results"]] == ["1.5.0"]
    assert as_alice.get(URL, {"model": "other"}).json()["count"] == 0
    assert as_alice.get(f"{URL}{firmware_id}/").json()["version"] == "1.5.0"
    with django_capture_on_commit_callbacks(execute=True):
        assert as_alice.delete(f"{URL}{firmware_id}/").status_code == 204
    assert not Firmware.objects.exists()
    assert not Path(path).exists()


def test_nurses_have_no_access_and_outsiders_see_nothing(as_alice, as_bob, as_charlie):
    firmware_id = upload(as_alice).json()["id"]

    assert_problem(as_bob.get(URL), 403)
    assert_problem(upload(as_bob, version="1.6.0"), 403)
    assert as_charlie.get(URL).json()["count"] == 0
    assert_problem(as_charlie.get(f"{URL}{firmware_id}/"), 404)
    assert_problem(as_charlie.delete(f"{URL}{firmware_id}/"), 404)
    assert Firmware.objects.count() == 1
