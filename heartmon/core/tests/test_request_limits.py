"""Requests past Django's limits, or with a body the server cannot read, are refused with a problem
(issue 13, item 9): more than 1,000 fields (multipart or query string) is a 400, a chunked body
under WSGI (read as empty) a 411."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from heartmon.core.testing import assert_problem
from heartmon.devices.models import Firmware

pytestmark = pytest.mark.django_db

TOO_MANY = {f"field{index}": "x" for index in range(1001)}


@pytest.mark.parametrize("url", ["/api/v1/ecg/recordings/", "/api/v1/firmware/"])
def test_a_form_with_more_than_1000_fields_answers_400(as_alice, url):
    response = as_alice.post(url, TOO_MANY, format="multipart")

    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:too-many-fields"
    assert "1,000 fields" in body["detail"]


def test_a_firmware_upload_with_too_many_fields_stores_nothing(as_alice):
    image = SimpleUploadedFile("fw.bin", b"\0" * 64)
    fields = {**TOO_MANY, "model": "HM-3L", "version": "2.0.0", "file": image}

    assert_problem(as_alice.post("/api/v1/firmware/", fields, format="multipart"), 400)
    assert not Firmware.objects.exists()


def test_a_query_string_with_more_than_1000_parameters_answers_400(as_alice):
    query = "&".join(f"p{index}=1" for index in range(1001))

    assert_problem(as_alice.get(f"/api/v1/patients/?{query}"), 400)


def test_a_chunked_body_is_refused_with_411_not_read_as_empty(as_alice, patient):
    response = as_alice.generic(
        "PATCH",
        f"/api/v1/patients/{patient.pk}/",
        b'{"given_name": "Changed"}',
        content_type="application/json",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
    )

    body = assert_problem(response, 411)
    assert "Content-Length" in body["detail"]
    patient.refresh_from_db()
    assert patient.given_name != "Changed"


def test_a_body_with_its_length_is_read_as_before(as_alice, patient):
    response = as_alice.patch(f"/api/v1/patients/{patient.pk}/", {"given_name": "Changed"})

    assert response.status_code == 200, response.content
