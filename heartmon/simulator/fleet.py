"""The simulated devices of a run: demo devices SIM-001… of an organization, each with a key and,
when both are free, a demo patient, through the same services a person would use."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction

from heartmon.accounts.models import Organization
from heartmon.clinic.models import Patient
from heartmon.clinic.services.assignments import assign_to_patient
from heartmon.clinic.services.patients import register_patient
from heartmon.core.actor import Actor
from heartmon.devices.models import Device, DeviceAssignment, DeviceKey
from heartmon.devices.services.keys import create_key, revoke_key
from heartmon.simulator.vitals import Vital, vitals_for

SERIAL_PREFIX = "SIM-"
KEY_NAME = "simulator"


@dataclass
class SimulatedDevice:
    serial: str
    key: str = field(repr=False)
    vitals: tuple[Vital, ...]
    measured_until: datetime = field(default_factory=lambda: datetime.now(UTC))

    def measure(self, *, now: datetime, rate_hz: float) -> list[dict[str, Any]]:
        """The readings taken since the last call, up to `now`, `rate_hz` a second (one a vital
        each time)."""
        step = timedelta(seconds=1 / rate_hz)
        readings: list[dict[str, Any]] = []
        while self.measured_until + step <= now:
            self.measured_until += step
            recorded_at = self.measured_until.isoformat(timespec="milliseconds")
            readings.extend(
                {
                    "metric": vital.metric,
                    "value": vital.next(step.total_seconds()),
                    "recorded_at": recorded_at,
                }
                for vital in self.vitals
            )
        return readings


@transaction.atomic
def prepare_fleet(
    *, count: int, organization: Organization, actor: Actor, seed: int
) -> list[SimulatedDevice]:
    """Devices SIM-001... of the organization, created when missing, each with a fresh key (the
    previous simulator keys are revoked) and assigned to a demo patient when both are free."""
    fleet = []
    for index in range(1, count + 1):
        device, _ = Device.objects.get_or_create(
            serial_number=f"{SERIAL_PREFIX}{index:03}",
            defaults={"organization": organization, "model": "Simulator", "name": "Demo monitor"},
        )
        if device.organization_id != organization.pk:
            raise ValueError(f"Device {device.serial_number} belongs to another organization.")
        if not device.is_active:
            raise ValueError(f"Device {device.serial_number} is {device.status}: make it active.")
        for old in DeviceKey.objects.filter(device=device, name=KEY_NAME, revoked_at=None):
            revoke_key(key=old, actor=actor)
        _, key = create_key(device=device, name=KEY_NAME, actor=actor)
        _assign_demo_patient(device, index, organization, actor)
        fleet.append(SimulatedDevice(device.serial_number, key, vitals_for(seed=seed, index=index)))
    return fleet


def _assign_demo_patient(
    device: Device, index: int, organization: Organization, actor: Actor
) -> None:
    if DeviceAssignment.objects.open().filter(device=device).exists():
        return
    number = f"{SERIAL_PREFIX}P{index:03}"
    patient = Patient.objects.filter(organization=organization, patient_number=number).first()
    if patient is None:
        patient = register_patient(
            data={
                "patient_number": number,
                "given_name": "Demo",
                "family_name": f"Patient {index}",
            },
            actor=actor,
        )
    if patient.is_archived or DeviceAssignment.objects.open().filter(patient=patient).exists():
        return
    assign_to_patient(device=device, patient=patient, actor=actor)
