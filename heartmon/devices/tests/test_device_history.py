"""GET /api/v1/devices/{id}/history/ and /assignments/: what happened to a device."""

from heartmon.core.testing import assert_problem
from heartmon.devices.models import DeviceEvent


def test_the_history_lists_events_newest_first(as_alice, as_bob, device, patient, device_key):
    as_alice.post(f"/api/v1/devices/{device.pk}/assign/", {"patient": str(patient.pk)})
    as_alice.post(f"/api/v1/devices/{device.pk}/unassign/")

    response = as_bob.get(f"/api/v1/devices/{device.pk}/history/")

    assert response.status_code == 200
    kinds = [event["kind"] for event in response.json()["results"]]
    assert kinds == ["unassigned", "assigned", "key_created"]
    assert response.json()["results"][1]["details"]["patient_id"] == str(patient.pk)


def test_the_history_filters_by_kind_and_paginates(as_alice, device, device_key):
    for _ in range(3):
        DeviceEvent.objects.create(device=device, kind="ota_report", details={})
    url = f"/api/v1/devices/{device.pk}/history/"

    assert as_alice.get(url, {"kind": "key_created"}).json()["count"] == 1
    page = as_alice.get(url, {"limit": 2}).json()
    assert (page["count"], len(page["results"])) == (4, 2)
    assert_problem(as_alice.get(url, {"kind": "exploded"}), 400, field="kind")


def test_the_assignments_list_past_and_open_ones(as_alice, as_bob, device, patient):
    as_alice.post(f"/api/v1/devices/{device.pk}/assign/", {"patient": str(patient.pk)})
    as_alice.post(f"/api/v1/devices/{device.pk}/unassign/")
    as_alice.post(f"/api/v1/devices/{device.pk}/assign/", {"patient": str(patient.pk)})

    rows = as_bob.get(f"/api/v1/devices/{device.pk}/assignments/").json()["results"]

    assert [row["ended_at"] is None for row in rows] == [True, False]
    assert {row["patient"] for row in rows} == {str(patient.pk)}


def test_another_organizations_device_history_is_a_404(as_charlie, device, device_key):
    assert_problem(as_charlie.get(f"/api/v1/devices/{device.pk}/history/"), 404)
    assert_problem(as_charlie.get(f"/api/v1/devices/{device.pk}/assignments/"), 404)
