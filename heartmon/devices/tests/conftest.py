"""Devices' shared cast: a technician and a staff member of org A, a device, a patient, a key."""

import pytest
from rest_framework.test import APIClient

from heartmon.accounts.roles import Role
from heartmon.clinic.models import Patient, Place, PlaceKind
from heartmon.core.testing import client_for, make_user
from heartmon.devices.models import Device
from heartmon.devices.services.keys import create_key


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def tess(org_a):
    return make_user(org_a, "tess@stmary.example", Role.TECHNICIAN)


@pytest.fixture
def as_tess(tess) -> APIClient:
    return client_for(tess)


@pytest.fixture
def sam(org_a):
    return make_user(org_a, "sam@stmary.example", Role.STAFF)


@pytest.fixture
def as_sam(sam) -> APIClient:
    return client_for(sam)


@pytest.fixture
def ward(org_a) -> Place:
    return Place.objects.create(organization=org_a, kind=PlaceKind.WARD, name="Ward 3")


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
def device_key(device, alice) -> str:
    return create_key(device=device, name="factory", actor=alice)[1]


@pytest.fixture
def as_device(device_key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {device_key}")
    return client
