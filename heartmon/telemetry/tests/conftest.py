"""Telemetry's shared cast: org A's device monitoring an admitted patient, with a key."""

import pytest

from heartmon.clinic.models import Patient
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
