"""The clinic's cast on top of the root one: org A's hospital with a ward and two beds, a patient,
a device, and people of every role (alice admin, bob nurse, charlie admin of org B)."""

import pytest

from heartmon.clinic.models import Patient, Place, PlaceKind
from heartmon.core.roles import Role
from heartmon.core.testing import client_for, make_user
from heartmon.devices.models import Device


@pytest.fixture
def hospital(org_a) -> Place:
    return Place.objects.create(organization=org_a, kind=PlaceKind.HOSPITAL, name="St Mary's")


@pytest.fixture
def ward(hospital) -> Place:
    return Place.objects.create(
        organization=hospital.organization, kind=PlaceKind.WARD, name="Cardiology", parent=hospital
    )


@pytest.fixture
def bed(ward) -> Place:
    return Place.objects.create(
        organization=ward.organization, kind=PlaceKind.BED, name="Bed 1", parent=ward
    )


@pytest.fixture
def bed2(ward) -> Place:
    return Place.objects.create(
        organization=ward.organization, kind=PlaceKind.BED, name="Bed 2", parent=ward
    )


@pytest.fixture
def patient(org_a, alice) -> Patient:
    return Patient.objects.create(
        organization=org_a,
        patient_number="MRN-1",
        given_name="Ada",
        family_name="Okafor",
        notes="Allergic to penicillin",
        phone="+14155550123",
        created_by=alice,
    )


@pytest.fixture
def patient2(org_a, alice) -> Patient:
    return Patient.objects.create(
        organization=org_a, patient_number="MRN-2", given_name="Ben", family_name="Ito"
    )


@pytest.fixture
def device(org_a) -> Device:
    return Device.objects.create(organization=org_a, serial_number="HM-0001", model="HM-3")


@pytest.fixture
def dana(org_a):
    return make_user(org_a, "dana@stmary.example", Role.DOCTOR)


@pytest.fixture
def sam(org_a):
    return make_user(org_a, "sam@stmary.example", Role.STAFF)


@pytest.fixture
def tina(org_a):
    return make_user(org_a, "tina@stmary.example", Role.TECHNICIAN)


@pytest.fixture
def as_dana(dana):
    return client_for(dana)


@pytest.fixture
def as_sam(sam):
    return client_for(sam)


@pytest.fixture
def as_tina(tina):
    return client_for(tina)
