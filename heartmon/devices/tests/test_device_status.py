"""POST /api/v1/devices/{id}/status/: every change is in the history; an assigned device stays
active until unassigned."""

from heartmon.clinic.services.assignments import assign_device
from heartmon.core.testing import assert_problem
from heartmon.devices.models import DeviceEvent, DeviceEventKind, DeviceStatus


def url(device) -> str:
    return f"/api/v1/devices/{device.pk}/status/"


def test_a_technician_sends_a_device_for_maintenance(as_tess, tess, device):
    response = as_tess.post(url(device), {"status": "maintenance"})

    assert response.status_code == 200
    assert response.json()["status"] == "maintenance"
    device.refresh_from_db()
    assert device.status == DeviceStatus.MAINTENANCE
    event = DeviceEvent.objects.get(device=device)
    assert (event.kind, event.actor, event.details) == (
        DeviceEventKind.STATUS_CHANGED,
        tess,
        {"from": "active", "to": "maintenance"},
    )


def test_the_same_status_again_changes_nothing(as_alice, device):
    assert as_alice.post(url(device), {"status": "active"}).status_code == 200
    assert not DeviceEvent.objects.exists()


def test_an_unknown_status_is_refused(as_alice, device):
    assert_problem(as_alice.post(url(device), {"status": "broken"}), 400, field="status")
    assert_problem(as_alice.post(url(device), {}), 400, field="status")
    device.refresh_from_db()
    assert device.status == DeviceStatus.ACTIVE


def test_an_assigned_device_cannot_leave_active(as_alice, alice, device, patient):
    assign_device(device=device, patient=patient, actor=alice.as_actor())

    body = assert_problem(as_alice.post(url(device), {"status": "inactive"}), 409)

    assert "unassign" in body["detail"]
    device.refresh_from_db()
    assert device.status == DeviceStatus.ACTIVE


def test_retiring_revokes_the_devices_keys(as_alice, device, device_key):
    as_alice.post(url(device), {"status": "retired"})

    assert device.keys.get().revoked_at is not None
    event = DeviceEvent.objects.get(kind=DeviceEventKind.STATUS_CHANGED)
    assert event.details["keys_revoked"] == 1


def test_a_nurse_may_not_change_a_status(as_bob, device):
    assert_problem(as_bob.post(url(device), {"status": "inactive"}), 403)


def test_another_organizations_device_is_a_404(as_charlie, device):
    assert_problem(as_charlie.post(url(device), {"status": "inactive"}), 404)
    device.refresh_from_db()
    assert device.status == DeviceStatus.ACTIVE
