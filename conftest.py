import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from heartmon.accounts.models import Organization, User
from heartmon.clinic.models import Patient
from heartmon.core.roles import Role
from heartmon.core.testing import client_for, make_user
from heartmon.devices.models import Device
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
def as_charlie(charlie) -> APIClient:
    return client_for(charlie)


@pytest.fixture
def tess(org_a) -> User:
    """A technician of org A: runs devices, sees no clinical data."""
    return make_user(org_a, "tess@stmary.example", Role.TECHNICIAN)


@pytest.fixture
def as_tess(tess) -> APIClient:
    return client_for(tess)


@pytest.fixture
def sam(org_a) -> User:
    """A staff member of org A: admits and registers, enters readings, reads no signals."""
    return make_user(org_a, "sam@stmary.example", Role.STAFF)


@pytest.fixture
def as_sam(sam) -> APIClient:
    return client_for(sam)


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
    """The plaintext of a key of `device`."""
    return create_key(device=device, name="factory", actor=alice.as_actor())[1]


@pytest.fixture
def as_device(device_key) -> APIClient:
    """A client that authenticates as `device` with its key."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {device_key}")
    return client
