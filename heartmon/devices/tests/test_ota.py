"""The device's side of OTA: ask for an update, download it, report the result."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from rest_framework.test import APIClient

from heartmon.core.testing import assert_problem
from heartmon.devices.models import DeviceEvent, DeviceEventKind, DeviceStatus, Firmware

URL = "/api/v1/device/ota/"


@pytest.fixture
def catalog(org_a, alice):
    """HM-3L 1.4.2, 1.5.0 (from 1.4.0 up) and 2.0.0 (from 1.5.0 up); another model's 9.0.0."""

    def add(model, version, min_version=""):
        content = f"{model} {version}".encode()
        firmware = Firmware(
            organization=org_a,
            model=model,
            version=version,
            min_version=min_version,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            release_notes=f"notes {version}",
            uploaded_by=alice,
        )
        firmware.file.save(f"{model}-{version}.bin", ContentFile(content))
        return firmware

    return {
        "1.4.2": add("HM-3L", "1.4.2"),
        "1.5.0": add("HM-3L", "1.5.0", "1.4.0"),
        "2.0.0": add("HM-3L", "2.0.0", "1.5.0"),
        "other": add("HM-12L", "9.0.0"),
    }


def test_it_offers_the_newest_firmware_the_device_can_upgrade_to(as_device, catalog):
    response = as_device.get(URL, {"current": "1.4.2"})

    assert response.status_code == 200
    body = response.json()
    assert body["version"] == "1.5.0"  # 2.0.0 needs at least 1.5.0
    assert body["sha256"] == catalog["1.5.0"].sha256
    assert body["size"] == catalog["1.5.0"].size
    assert body["release_notes"] == "notes 1.5.0"
    assert body["download_url"].endswith(f"/api/v1/device/ota/download/{catalog['1.5.0'].pk}/")
    assert as_device.get(URL, {"current": "1.5.0"}).json()["version"] == "2.0.0"
    assert as_device.get(URL, {"current": "2.0.0-rc.1"}).json()["version"] == "2.0.0"


def test_an_up_to_date_device_gets_204(as_device, catalog):
    assert as_device.get(URL, {"current": "2.0.0"}).status_code == 204
    assert as_device.get(URL, {"current": "3.1.0"}).status_code == 204


def test_a_device_below_every_newer_images_minimum_is_told_no_path_exists(as_device, catalog):
    catalog["1.4.2"].delete()
    catalog["1.5.0"].delete()

    body = assert_problem(as_device.get(URL, {"current": "1.0.0"}), 409)

    assert body["type"] == "urn:heartmon:problem:no-upgrade-path"
    assert "at least 1.5.0" in body["detail"]


def test_a_device_below_the_newest_images_minimum_is_offered_the_step_it_can_take(
    as_device, catalog
):
    assert as_device.get(URL, {"current": "1.0.0"}).json()["version"] == "1.4.2"


@pytest.mark.parametrize("current", ["", "1.4", "v1.4.2", "1.4.2.1", "01.4.2"])
def test_a_bad_version_is_a_400(as_device, catalog, current):
    assert_problem(as_device.get(URL, {"current": current}), 400, field="current")


def test_a_model_without_firmware_is_a_404(as_device, device):
    body = assert_problem(as_device.get(URL, {"current": "1.0.0"}), 404)

    assert "HM-3L" in body["detail"]


def test_the_device_downloads_the_image_it_was_offered(as_device, catalog):
    url = as_device.get(URL, {"current": "1.4.2"}).json()["download_url"]

    response = as_device.get(url)

    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    assert content == b"HM-3L 1.5.0"
    assert response["X-Checksum-SHA256"] == hashlib.sha256(content).hexdigest()


def test_another_models_image_or_no_key_gets_nothing(as_device, catalog):
    path = f"/api/v1/device/ota/download/{catalog['other'].pk}/"

    assert_problem(as_device.get(path), 404)
    assert_problem(APIClient().get(f"/api/v1/device/ota/download/{catalog['1.5.0'].pk}/"), 401)


def test_an_inactive_device_may_not_ask(as_device, device, catalog):
    device.status = DeviceStatus.INACTIVE
    device.save()

    assert_problem(as_device.get(URL, {"current": "1.4.2"}), 403)
    assert_problem(as_device.get(f"/api/v1/device/ota/download/{catalog['1.5.0'].pk}/"), 403)
    assert_problem(as_device.post(f"{URL}report/", {"version": "1.5.0", "status": "failed"}), 403)


def test_reports_go_to_the_history_and_success_sets_the_version(as_device, device):
    report = f"{URL}report/"
    assert as_device.post(report, {"version": "1.5.0", "status": "installing"}).status_code == 204
    device.refresh_from_db()
    assert device.firmware_version == ""

    response = as_device.post(report, {"version": "1.5.0", "status": "succeeded", "message": "ok"})

    assert response.status_code == 204
    device.refresh_from_db()
    assert device.firmware_version == "1.5.0"
    events = DeviceEvent.objects.filter(kind=DeviceEventKind.OTA_REPORT).order_by("id")
    assert [event.details["status"] for event in events] == ["installing", "succeeded"]
    assert events[1].details == {"version": "1.5.0", "status": "succeeded", "message": "ok"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"version": "1.5", "status": "succeeded"}, "version"),
        ({"version": "1.5.0", "status": "exploded"}, "status"),
        ({"status": "failed"}, "version"),
        ({"version": "1.5.0", "status": "failed", "message": "x" * 2001}, "message"),
    ],
)
def test_a_bad_report_is_a_400_and_nothing_recorded(as_device, device, body, field):
    assert_problem(as_device.post(f"{URL}report/", body), 400, field=field)
    assert not DeviceEvent.objects.filter(kind=DeviceEventKind.OTA_REPORT).exists()
