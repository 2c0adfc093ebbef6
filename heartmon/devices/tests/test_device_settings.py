"""GET/PUT /api/v1/devices/{id}/settings/ and /settings/history/: validated, versioned."""

import pytest

from heartmon.core.testing import assert_problem
from heartmon.devices.models import DeviceEvent, DeviceEventKind, DeviceSettings
from heartmon.devices.settings_schema import defaults


def url(device) -> str:
    return f"/api/v1/devices/{device.pk}/settings/"


def test_a_device_never_configured_shows_the_defaults_as_version_0(as_bob, device):
    response = as_bob.get(url(device))

    assert response.status_code == 200
    assert response.json()["version"] == 0
    assert response.json()["document"] == defaults(3)
    assert response.json()["document"]["enabled_leads"] == ["I", "II", "III"]


def test_each_save_is_a_new_version(as_tess, tess, device):
    first = {**defaults(3), "sampling_rate_hz": 500}
    second = {**first, "upload_interval_s": 60}

    assert as_tess.put(url(device), {"document": first}).json()["version"] == 1
    response = as_tess.put(url(device), {"document": second})

    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert as_tess.get(url(device)).json()["document"] == second
    assert list(DeviceSettings.objects.values_list("version", flat=True)) == [2, 1]
    assert DeviceEvent.objects.filter(kind=DeviceEventKind.SETTINGS_CHANGED).count() == 2
    history = as_tess.get(f"{url(device)}history/").json()
    assert [row["version"] for row in history["results"]] == [2, 1]
    assert history["results"][1]["document"] == first
    assert history["results"][0]["created_by"] == str(tess.pk)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sampling_rate_hz": 49}, "document.sampling_rate_hz"),
        ({"sampling_rate_hz": 10001}, "document.sampling_rate_hz"),
        ({"sampling_rate_hz": "fast"}, "document.sampling_rate_hz"),
        ({"enabled_leads": ["I", "V7"]}, "document.enabled_leads.1"),
        ({"enabled_leads": ["I", "II", "III", "aVR"]}, "document.enabled_leads"),
        ({"enabled_leads": ["I", "I"]}, "document.enabled_leads"),
        ({"upload_interval_s": 0}, "document.upload_interval_s"),
        ({"upload_interval_s": 3601}, "document.upload_interval_s"),
        (
            {"alarm_limits": {"heart_rate_low": 120, "heart_rate_high": 100, "spo2_low": 90}},
            "document.alarm_limits.heart_rate_low",
        ),
        (
            {"alarm_limits": {"heart_rate_low": 40, "heart_rate_high": 301, "spo2_low": 90}},
            "document.alarm_limits.heart_rate_high",
        ),
        (
            {"alarm_limits": {"heart_rate_low": 40, "heart_rate_high": 140, "spo2_low": 49}},
            "document.alarm_limits.spo2_low",
        ),
        ({"volume": 11}, "document"),
    ],
)
def test_an_invalid_document_is_refused_and_nothing_saved(as_alice, device, change, field):
    response = as_alice.put(url(device), {"document": {**defaults(3), **change}})

    assert_problem(response, 400, field=field)
    assert not DeviceSettings.objects.exists()


def test_a_document_that_is_not_an_object_is_refused(as_alice, device):
    assert_problem(as_alice.put(url(device), {"document": [1, 2]}), 400, field="document")
    assert_problem(as_alice.put(url(device), {}), 400, field="document")
    assert not DeviceSettings.objects.exists()


def test_doctors_and_nurses_read_but_only_technicians_and_admins_write(
    as_dana, as_bob, as_sam, device
):
    for client in (as_dana, as_bob):
        assert client.get(url(device)).status_code == 200
        assert_problem(client.put(url(device), {"document": defaults(3)}), 403)
    assert_problem(as_sam.get(url(device)), 403)
    assert not DeviceSettings.objects.exists()


def test_another_organizations_device_is_a_404(as_charlie, device):
    assert_problem(as_charlie.get(url(device)), 404)
    assert_problem(as_charlie.put(url(device), {"document": defaults(3)}), 404)
    assert_problem(as_charlie.get(f"{url(device)}history/"), 404)
    assert not DeviceSettings.objects.exists()
