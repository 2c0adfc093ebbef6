"""/api/v1/devices/: register, list, filter, show, change and remove devices."""

import uuid

import pytest

from heartmon.accounts.testing import client_for, make_user
from heartmon.clinic.services.assignments import assign_device
from heartmon.core.roles import Role
from heartmon.core.testing import assert_problem
from heartmon.devices.models import Device, DeviceAssignment, DeviceStatus
from heartmon.devices.settings_schema import defaults

URL = "/api/v1/devices/"
NEW = {"serial_number": "HM-0100", "model": "HM-3L", "lead_count": 3, "manufacturer": "Acme"}


def serials(response) -> list[str]:
    return [device["serial_number"] for device in response.json()["results"]]


def test_a_technician_registers_a_device_in_her_organization(as_tess, org_a, ward):
    body = {**NEW, "mac_address": "00-1b-63-84-45-e6", "home_place": str(ward.pk)}
    response = as_tess.post(URL, {**body, "firmware_version": "1.4.2"})

    assert response.status_code == 201, response.content
    device = Device.objects.get(serial_number="HM-0100")
    assert device.organization == org_a
    assert device.mac_address == "00:1B:63:84:45:E6"
    assert device.status == DeviceStatus.ACTIVE
    assert response.json()["patient"] is None
    assert response.json()["home_place"] == str(ward.pk)


@pytest.mark.parametrize("mac", ["001b638445e6", "001b.6384.45e6", "00:1B:63:84:45:E6"])
def test_it_normalizes_mac_addresses(as_alice, mac):
    response = as_alice.post(URL, {**NEW, "mac_address": mac})

    assert response.json()["mac_address"] == "00:1B:63:84:45:E6"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("mac_address", "00:1B:63:84:45"),
        ("mac_address", "00:1B-63:84:45:E6"),
        ("mac_address", "GG:1B:63:84:45:E6"),
        ("lead_count", 0),
        ("lead_count", 13),
        ("firmware_version", "1.4"),
        ("serial_number", ""),
        ("model", ""),
        ("status", "broken"),
    ],
)
def test_it_rejects_bad_fields_and_stores_nothing(as_alice, field, value):
    response = as_alice.post(URL, {**NEW, field: value})

    if field == "status":  # read-only here: ignored, the device starts active
        assert response.status_code == 201
        assert response.json()["status"] == "active"
        return
    assert_problem(response, 400, field=field)
    assert not Device.objects.exists()


def test_a_serial_number_is_unique_across_organizations(as_charlie, device):
    assert_problem(
        as_charlie.post(URL, {**NEW, "serial_number": device.serial_number}),
        400,
        field="serial_number",
    )
    assert Device.objects.count() == 1


def test_a_mac_address_is_unique(as_alice, device):
    device.mac_address = "00:1B:63:84:45:E6"
    device.save()

    assert_problem(
        as_alice.post(URL, {**NEW, "mac_address": "001b638445e6"}), 400, field="mac_address"
    )


def test_a_home_place_of_another_organization_does_not_exist(as_charlie, ward):
    assert_problem(
        as_charlie.post(URL, {**NEW, "home_place": str(ward.pk)}), 400, field="home_place"
    )
    assert not Device.objects.exists()


def test_everyone_in_the_organization_lists_its_devices(as_bob, device, org_b):
    Device.objects.create(organization=org_b, serial_number="RC-1", model="X")

    response = as_bob.get(URL)

    assert response.status_code == 200
    assert serials(response) == ["HM-0001"]


def test_the_list_shows_the_assigned_patient_in_a_fixed_number_of_queries(
    alice, org_a, patient, django_assert_num_queries
):
    for n in range(5):
        device = Device.objects.create(organization=org_a, serial_number=f"D-{n}", model="X")
        if n % 2 == 0:
            DeviceAssignment.objects.create(device=device, patient=patient, assigned_by=alice)
    client = client_for(alice)

    with django_assert_num_queries(2):  # count, page
        response = client.get(URL)

    patients = {row["serial_number"]: row["patient"] for row in response.json()["results"]}
    assert patients == {
        "D-0": str(patient.pk),
        "D-1": None,
        "D-2": str(patient.pk),
        "D-3": None,
        "D-4": str(patient.pk),
    }


def test_it_filters_by_status_model_assignment_patient_and_place(
    as_alice, alice, org_a, device, patient, ward
):
    other = Device.objects.create(
        organization=org_a,
        serial_number="HM-0002",
        model="HM-12L",
        lead_count=12,
        status=DeviceStatus.MAINTENANCE,
        home_place=ward,
    )
    assign_device(device=device, patient=patient, actor=alice.as_actor())

    assert serials(as_alice.get(URL, {"status": "maintenance"})) == [other.serial_number]
    assert serials(as_alice.get(URL, {"model": "HM-3L"})) == [device.serial_number]
    assert serials(as_alice.get(URL, {"assigned": "true"})) == [device.serial_number]
    assert serials(as_alice.get(URL, {"assigned": "false"})) == [other.serial_number]
    assert serials(as_alice.get(URL, {"patient": str(patient.pk)})) == [device.serial_number]
    assert serials(as_alice.get(URL, {"home_place": str(ward.pk)})) == [other.serial_number]
    assert serials(as_alice.get(URL, {"search": "0002"})) == [other.serial_number]
    assert serials(as_alice.get(URL, {"ordering": "-serial_number"})) == ["HM-0002", "HM-0001"]
    assert_problem(as_alice.get(URL, {"status": "broken"}), 400, field="status")


def test_it_shows_one_device(as_bob, device):
    response = as_bob.get(f"{URL}{device.pk}/")

    assert response.status_code == 200
    assert response.json()["serial_number"] == "HM-0001"


def test_another_organizations_device_is_a_404(as_charlie, device):
    assert_problem(as_charlie.get(f"{URL}{device.pk}/"), 404)
    assert_problem(as_charlie.patch(f"{URL}{device.pk}/", {"name": "mine"}), 404)
    assert_problem(as_charlie.delete(f"{URL}{device.pk}/"), 404)
    assert_problem(as_charlie.get(f"{URL}{uuid.uuid4()}/"), 404)
    assert Device.objects.filter(pk=device.pk, name="").exists()


def test_a_technician_changes_a_devices_details_but_not_its_status(as_tess, device):
    response = as_tess.patch(f"{URL}{device.pk}/", {"name": "Bed 4", "status": "retired"})

    assert response.status_code == 200
    device.refresh_from_db()
    assert (device.name, device.status) == ("Bed 4", DeviceStatus.ACTIVE)


def test_lead_count_cannot_drop_below_the_leads_the_settings_enable(as_alice, alice, device):
    as_alice.put(
        f"{URL}{device.pk}/settings/",
        {"document": defaults(3)},
    )

    assert_problem(as_alice.patch(f"{URL}{device.pk}/", {"lead_count": 2}), 400, field="lead_count")
    device.refresh_from_db()
    assert device.lead_count == 3


@pytest.mark.parametrize("role", [Role.NURSE, Role.DOCTOR, Role.STAFF])
def test_roles_without_device_rights_may_read_but_not_write(org_a, device, role):
    client = client_for(make_user(org_a, f"{role}@stmary.example", role))

    assert client.get(URL).status_code == 200
    assert_problem(client.post(URL, NEW), 403)
    assert_problem(client.patch(f"{URL}{device.pk}/", {"name": "x"}), 403)
    assert_problem(client.delete(f"{URL}{device.pk}/"), 403)
    assert Device.objects.count() == 1


def test_a_device_without_history_is_deleted(as_alice, device):
    assert as_alice.delete(f"{URL}{device.pk}/").status_code == 204
    assert not Device.objects.exists()
    assert_problem(as_alice.get(f"{URL}{device.pk}/"), 404)


def test_delete_of_a_device_with_history_is_a_conflict_naming_retire(as_alice, device, device_key):
    body = assert_problem(as_alice.delete(f"{URL}{device.pk}/"), 409)

    assert body["type"] == "urn:heartmon:problem:device-has-history"
    assert f"POST /api/v1/devices/{device.pk}/retire/" in body["detail"]
    device.refresh_from_db()
    assert device.status == DeviceStatus.ACTIVE


def test_retire_keeps_the_device_and_revokes_its_keys(as_alice, device, device_key):
    response = as_alice.post(f"{URL}{device.pk}/retire/")

    assert response.status_code == 200, response.content
    assert response.json()["status"] == DeviceStatus.RETIRED
    device.refresh_from_db()
    assert device.status == DeviceStatus.RETIRED
    assert not device.keys.filter(revoked_at__isnull=True).exists()


def test_only_device_managers_retire_devices(as_bob, as_charlie, device):
    assert_problem(as_bob.post(f"{URL}{device.pk}/retire/"), 403)
    assert_problem(as_charlie.post(f"{URL}{device.pk}/retire/"), 404)
    device.refresh_from_db()
    assert device.status == DeviceStatus.ACTIVE


def test_an_assigned_device_is_neither_deleted_nor_retired(as_alice, alice, device, patient):
    assign_device(device=device, patient=patient, actor=alice.as_actor())

    assert_problem(as_alice.delete(f"{URL}{device.pk}/"), 409)
    assert_problem(as_alice.post(f"{URL}{device.pk}/retire/"), 409)
    device.refresh_from_db()
    assert device.status == DeviceStatus.ACTIVE


def test_anonymous_clients_must_authenticate(anonymous, device):
    assert_problem(anonymous.get(URL), 401)
