"""Telemetry's extras beside the root cast: the device monitoring the patient, org B's device and
patient, a superuser outside any organization."""

import pytest
from rest_framework.test import APIClient

from heartmon.clinic.models import Patient
from heartmon.clinic.services.assignments import assign_device
from heartmon.core.roles import Role
from heartmon.core.testing import client_for, make_user
from heartmon.devices.models import Device


@pytest.fixture
def monitored(device, patient, alice) -> Device:
    """The device, assigned to the patient."""
    assign_device(device=device, patient=patient, actor=alice.as_actor())
    return device


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
def as_root(db) -> APIClient:
    """A superuser outside any organization."""
    return client_for(make_user(None, "root@heartmon.example", Role.ADMIN, is_superuser=True))
