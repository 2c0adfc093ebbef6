"""Telemetry's shared cast: org A's device monitoring an admitted patient, with a key."""

import pytest
from rest_framework.test import APIClient

from heartmon.accounts.roles import Role
from heartmon.clinic.models import Patient
from heartmon.core.testing import client_for, make_user
from heartmon.devices.models import Device
from heartmon.devices.services.assignments import assign_device
from heartmon.devices.services.keys import create_key


@pytest.fixture
def device(org_a) -> Device:
    return Device.objects.create(
        organization=org_a, serial_number="HM-0001", model="HM-3L", lead_count=3
    )


@pytest.fixture
def patient(org_a) -> Patient:
    return Patient.objects.create(
        organization=org_a, patient_number="P-1", given_name="Ada", family_name="Byron"
    )


@pytest.fixture
def monitored(device, patient, alice) -> Device:
    """The device, assigned to the patient."""
    assign_device(device=device, patient=patient, actor=alice)
    return device


@pytest.fixture
def device_key(device, alice) -> str:
    return create_key(device=device, name="factory", actor=alice)[1]


@pytest.fixture
def as_device(device_key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {device_key}")
    return client


@pytest.fixture
def org_b_device(org_b) -> Device:
    return Device.objects.create(
        organization=org_b, serial_number="RC-0001", model="HM-3L", lead_count=3
    )


@pytest.fixture
def org_b_patient(org_b) -> Patient:
    return Patient.objects.create(
        organization=org_b, patient_number="R-1", given_name="Grace", family_name="Hopper"
    )


@pytest.fixture
def as_tess(org_a) -> APIClient:
    """A technician: runs devices, sees no readings."""
    return client_for(make_user(org_a, "tess@stmary.example", Role.TECHNICIAN))


@pytest.fixture
def as_sam(org_a) -> APIClient:
    """Staff: may enter readings by hand, may not read or correct them."""
    return client_for(make_user(org_a, "sam@stmary.example", Role.STAFF))


@pytest.fixture
def as_root(db) -> APIClient:
    """A superuser outside any organization."""
    return client_for(make_user(None, "root@heartmon.example", Role.ADMIN, is_superuser=True))
