"""The one test cast, the same meaning for each name in every app.

Org A, St Mary's Hospital: alice (admin), bob (nurse), dana (doctor), sam (staff), tess
(technician); a hospital with the ward Cardiology and its beds bed and bed2; the patients
patient (Ada Okafor, MRN-1) and patient2 (Ben Ito, MRN-2); device, a 3-lead monitor, unassigned,
and monitored, the same device assigned to patient (since 2000); device_key, a key of device.
Org B, Riverside Clinic: charlie (admin), org_b_patient and org_b_device: the outsiders.
as_<name> is a client signed in as <name>; as_device authenticates with device_key; as_root is a
superuser of no organization."""

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from heartmon.accounts.models import Organization, User
from heartmon.accounts.testing import client_for, make_user
from heartmon.clinic.models import Patient, Place, PlaceKind
from heartmon.clinic.services.assignments import assign_device
from heartmon.core.roles import Role
from heartmon.core.time import EARLIEST
from heartmon.devices.models import Device, DeviceAssignment
from heartmon.devices.services.keys import create_key


@pytest.fixture(autouse=True)
def _fast_passwords_and_clean_cache(settings):
    """A cheap hasher keeps tests fast (production uses Argon2); the cache holds throttles and
    one-time codes, so each test starts with an empty one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org_a(db) -> Organization:
    return Organization.objects.create(name="St Mary's Hospital")


@pytest.fixture
def org_b(db) -> Organization:
    return Organization.objects.create(name="Riverside Clinic")


@pytest.fixture
def alice(org_a) -> User:
    return make_user(org_a, "alice@stmary.example", Role.ADMIN)


@pytest.fixture
def bob(org_a) -> User:
    return make_user(org_a, "bob@stmary.example", Role.NURSE)


@pytest.fixture
def dana(org_a) -> User:
    return make_user(org_a, "dana@stmary.example", Role.DOCTOR)


@pytest.fixture
def sam(org_a) -> User:
    """Staff: admits and registers, enters readings, reads no signals."""
    return make_user(org_a, "sam@stmary.example", Role.STAFF)


@pytest.fixture
def tess(org_a) -> User:
    """A technician: runs devices, sees no clinical data."""
    return make_user(org_a, "tess@stmary.example", Role.TECHNICIAN)


@pytest.fixture
def charlie(org_b) -> User:
    return make_user(org_b, "charlie@riverside.example", Role.ADMIN)


@pytest.fixture
def anonymous() -> APIClient:
    return APIClient()


@pytest.fixture
def as_alice(alice) -> APIClient:
    return client_for(alice)


@pytest.fixture
def as_bob(bob) -> APIClient:
    return client_for(bob)


@pytest.fixture
def as_dana(dana) -> APIClient:
    return client_for(dana)


@pytest.fixture
def as_sam(sam) -> APIClient:
    return client_for(sam)


@pytest.fixture
def as_tess(tess) -> APIClient:
    return client_for(tess)


@pytest.fixture
def as_charlie(charlie) -> APIClient:
    return client_for(charlie)


@pytest.fixture
def as_root(db) -> APIClient:
    """A superuser outside any organization."""
    return client_for(make_user(None, "root@heartmon.example", Role.ADMIN, is_superuser=True))


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
def patient2(org_a) -> Patient:
    return Patient.objects.create(
        organization=org_a, patient_number="MRN-2", given_name="Ben", family_name="Ito"
    )


@pytest.fixture
def org_b_patient(org_b) -> Patient:
    return Patient.objects.create(
        organization=org_b, patient_number="R-1", given_name="Grace", family_name="Hopper"
    )


@pytest.fixture
def device(org_a) -> Device:
    return Device.objects.create(
        organization=org_a, serial_number="HM-0001", model="HM-3L", lead_count=3
    )


@pytest.fixture
def monitored(device, patient, alice) -> Device:
    """The device, assigned to the patient since 2000: a device's readings and recordings belong
    to the patient it was on when it measured them, and tests send them from any time."""
    assignment = assign_device(device=device, patient=patient, actor=alice.as_actor())
    DeviceAssignment.objects.filter(pk=assignment.pk).update(started_at=EARLIEST)
    return device


@pytest.fixture
def org_b_device(org_b) -> Device:
    return Device.objects.create(
        organization=org_b, serial_number="RC-0001", model="HM-3L", lead_count=3
    )


@pytest.fixture
def device_key(device, alice) -> str:
    """The plaintext of a key of `device`."""
    return create_key(device=device, name="factory", actor=alice.as_actor())[1]


@pytest.fixture
def as_device(device_key) -> APIClient:
    """A client that authenticates as `device` with its key."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {device_key}")
    return client
