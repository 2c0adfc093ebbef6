"""GET /api/v1/device/settings/: the device polls with If-None-Match and gets 304 until a change."""

from heartmon.devices.settings_schema import defaults

URL = "/api/v1/device/settings/"


def test_the_device_gets_its_settings_with_an_etag(as_device):
    response = as_device.get(URL)

    assert response.status_code == 200
    assert response.json() == {"version": 0, "document": defaults(3)}
    assert response["ETag"].startswith('"v0-')


def test_the_same_etag_is_a_304_until_the_settings_change(as_device, as_alice, device):
    etag = as_device.get(URL)["ETag"]

    not_modified = as_device.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304
    assert not_modified["ETag"] == etag
    assert not not_modified.content

    as_alice.put(
        f"/api/v1/devices/{device.pk}/settings/",
        {"document": {**defaults(3), "upload_interval_s": 30}},
    )
    changed = as_device.get(URL, HTTP_IF_NONE_MATCH=etag)

    assert changed.status_code == 200
    assert changed.json()["version"] == 1
    assert changed.json()["document"]["upload_interval_s"] == 30
    assert changed["ETag"] != etag
    assert as_device.get(URL, HTTP_IF_NONE_MATCH=f'"x", {changed["ETag"]}').status_code == 304


def test_people_see_the_same_etag_as_the_device(as_device, as_alice, device):
    assert (
        as_alice.get(f"/api/v1/devices/{device.pk}/settings/")["ETag"] == as_device.get(URL)["ETag"]
    )
