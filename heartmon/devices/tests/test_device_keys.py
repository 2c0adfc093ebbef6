"""/api/v1/devices/{id}/keys/: a key is shown once, stored hashed, revoked at once."""

import hashlib

from heartmon.core.testing import assert_problem
from heartmon.devices.models import DeviceEvent, DeviceEventKind, DeviceKey


def url(device) -> str:
    return f"/api/v1/devices/{device.pk}/keys/"


def test_a_technician_creates_a_key_shown_exactly_once(as_tess, tess, device):
    response = as_tess.post(url(device), {"name": "factory"})

    assert response.status_code == 201
    body = response.json()
    scheme, prefix, secret = body["key"].split("_", 2)
    assert (scheme, prefix, body["prefix"]) == ("hmd", body["prefix"], prefix)
    assert len(secret) >= 43  # 32 random bytes, base64url
    row = DeviceKey.objects.get()
    assert row.digest == hashlib.sha256(body["key"].encode()).hexdigest()
    assert body["key"] not in str(DeviceKey.objects.values())
    assert (row.name, row.created_by) == ("factory", tess)
    assert DeviceEvent.objects.filter(kind=DeviceEventKind.KEY_CREATED).exists()
    listed = as_tess.get(url(device)).json()["results"]
    assert [key["prefix"] for key in listed] == [prefix]
    assert "key" not in listed[0]
    assert "digest" not in listed[0]


def test_a_name_too_long_is_refused(as_alice, device):
    assert_problem(as_alice.post(url(device), {"name": "x" * 121}), 400, field="name")
    assert not DeviceKey.objects.exists()


def test_delete_revokes_the_key_and_keeps_it_listed(as_alice, device, device_key):
    row = DeviceKey.objects.get()

    assert as_alice.delete(f"{url(device)}{row.pk}/").status_code == 204

    row.refresh_from_db()
    assert row.revoked_at is not None
    assert as_alice.get(url(device)).json()["results"][0]["revoked_at"] is not None
    assert DeviceEvent.objects.filter(kind=DeviceEventKind.KEY_REVOKED).count() == 1


def test_a_key_of_another_device_is_not_found_under_this_one(as_alice, device, org_a, alice):
    from heartmon.devices.models import Device
    from heartmon.devices.services.keys import create_key

    other = Device.objects.create(organization=org_a, serial_number="HM-9", model="HM-3L")
    row, _ = create_key(device=other, name="", actor=alice.as_actor())

    assert_problem(as_alice.delete(f"{url(device)}{row.pk}/"), 404)
    row.refresh_from_db()
    assert row.revoked_at is None


def test_nurses_may_not_see_keys_and_outsiders_get_404(as_bob, as_charlie, device, device_key):
    assert_problem(as_bob.get(url(device)), 403)
    assert_problem(as_bob.post(url(device), {}), 403)
    assert_problem(as_charlie.get(url(device)), 404)
    assert_problem(as_charlie.post(url(device), {}), 404)
    row = DeviceKey.objects.get()
    assert_problem(as_charlie.delete(f"{url(device)}{row.pk}/"), 404)
    assert DeviceKey.objects.count() == 1
    assert row.revoked_at is None
