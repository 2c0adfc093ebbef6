"""What the production checks need in the database: an organization, its admin (who signs in)
and monitored devices with keys. Runs after django.setup() against the stack's database."""

from dataclasses import dataclass

from heartmon.accounts.models import Organization
from heartmon.accounts.testing import make_user
from heartmon.clinic.models import Patient
from heartmon.clinic.services.assignments import assign_device
from heartmon.core.roles import Role
from heartmon.devices.models import Device
from heartmon.devices.services.keys import create_key

PASSWORD = "a long CI passphrase"


@dataclass(frozen=True)
class Monitor:
    serial: str
    key: str
    device_id: str
    patient_id: str


@dataclass(frozen=True)
class World:
    admin_email: str
    monitors: list[Monitor]


def seed(tag: str, *, monitors: int = 1) -> World:
    organization = Organization.objects.create(name=f"CI {tag}")
    admin = make_user(organization, f"admin-{tag}@ci.heartmon.test", Role.ADMIN, password=PASSWORD)
    actor = admin.as_actor()
    made = []
    for number in range(1, monitors + 1):
        device = Device.objects.create(
            organization=organization,
            serial_number=f"{tag}-{number:03}",
            model="HM-3L",
            lead_count=3,
        )
        patient = Patient.objects.create(
            organization=organization,
            patient_number=f"{tag}-{number}",
            given_name="Ci",
            family_name=f"Patient {number}",
        )
        assign_device(device=device, patient=patient, actor=actor)
        key = create_key(device=device, name="ci", actor=actor)[1]
        made.append(Monitor(device.serial_number, key, str(device.pk), str(patient.pk)))
    return World(admin_email=admin.email, monitors=made)
