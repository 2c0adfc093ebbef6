"""The simulated devices of a run: demo devices SIM-001… of an organization, each with a key of
the run's own and, when both are free, a demo patient admitted with it to a bed of the demo ward,
through the services a person would use."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import transaction

from heartmon.accounts.models import Organization
from heartmon.clinic.models import Patient
from heartmon.clinic.services.assignments import assign_to_patient
from heartmon.clinic.services.patients import register_patient
from heartmon.core.actor import Actor
from heartmon.devices.models import Device, DeviceAssignment
from heartmon.devices.services.keys import create_key
from heartmon.simulator.faults import FaultyMonitor
from heartmon.simulator.runs import KEY_NAME, SERIAL_PREFIX, neighbours_of, start_run
from heartmon.simulator.vitals import Vital, vitals_for
from heartmon.simulator.ward import DEMO_PATIENT_PREFIX, admit_to_demo_bed


@dataclass
class SimulatedDevice:
    serial: str
    key: str = field(repr=False)
    vitals: tuple[Vital, ...]
    measured_until: datetime = field(default_factory=lambda: datetime.now(UTC))
    monitor: FaultyMonitor | None = None  # with faults: measures every vital itself

    def measure(self, *, now: datetime, rate_hz: float) -> list[dict[str, Any]]:
        """The readings taken since the last call, up to `now`, `rate_hz` a second (one a vital
        each time)."""
        step = timedelta(seconds=1 / rate_hz)
        readings: list[dict[str, Any]] = []
        while self.measured_until + step <= now:
            self.measured_until += step
            recorded_at = self.measured_until.isoformat(timespec="milliseconds")
            readings.extend(
                {"metric": metric, "value": value, "recorded_at": recorded_at}
                for metric, value in self._values(step.total_seconds())
            )
        return readings

    def _values(self, seconds: float) -> list[tuple[str, float]]:
        if self.monitor is not None:
            return self.monitor.step(self.measured_until, seconds)
        return [(vital.metric, vital.next(seconds)) for vital in self.vitals]


@dataclass
class Fleet:
    """A run's devices, each with the run's own key, and the organization's other live runs
    (described for a person) with the devices they send for."""

    run_id: uuid.UUID
    devices: list[SimulatedDevice]
    neighbours: dict[str, set[str]]

    def shared(self) -> dict[str, list[str]]:
        """The other runs that send for some of this run's devices too, with those devices."""
        ours = {device.serial for device in self.devices}
        return {
            run: sorted(ours & theirs) for run, theirs in self.neighbours.items() if ours & theirs
        }

    def first_free(self) -> int:
        """The number of the first demo device after every live run's."""
        serials = set().union(*self.neighbours.values(), (device.serial for device in self.devices))
        return 1 + max(int(serial.removeprefix(SERIAL_PREFIX)) for serial in serials)


@transaction.atomic
def prepare_fleet(
    *,
    count: int,
    organization: Organization,
    actor: Actor,
    seed: int,
    first: int = 1,
    record_fault: Callable[[dict[str, Any]], object] | None = None,
) -> Fleet:
    """Devices SIM-<first>... of the organization, created when missing, each with a key of this
    run's own and assigned to a demo patient when both are free. Keys of runs that died are
    revoked; other live runs keep theirs. With `record_fault`, each device is a monitor with
    faults (`faults.FaultyMonitor`) that reports every fault's truth to it."""
    run = start_run(organization=organization, actor=actor)
    devices = []
    for index in range(first, first + count):
        device = _demo_device(index, organization)
        row, key = create_key(device=device, name=KEY_NAME, actor=actor)
        run.keys.add(row)
        _assign_demo_patient(device, index, organization, actor)
        admit_to_demo_bed(device=device, index=index, actor=actor)
        monitor = None
        if record_fault is not None:
            monitor = FaultyMonitor.for_patient(
                seed=seed, index=index, serial=device.serial_number, record=record_fault
            )
        vitals = vitals_for(seed=seed, index=index)
        devices.append(SimulatedDevice(device.serial_number, key, vitals, monitor=monitor))
    return Fleet(run_id=run.pk, devices=devices, neighbours=neighbours_of(run))


def _demo_device(index: int, organization: Organization) -> Device:
    device, _ = Device.objects.get_or_create(
        serial_number=f"{SERIAL_PREFIX}{index:03}",
        defaults={"organization": organization, "model": "Simulator", "name": "Demo monitor"},
    )
    if device.organization_id != organization.pk:
        raise ValueError(f"Device {device.serial_number} belongs to another organization.")
    if not device.is_active:
        raise ValueError(f"Device {device.serial_number} is {device.status}: make it active.")
    return device


def _assign_demo_patient(
    device: Device, index: int, organization: Organization, actor: Actor
) -> None:
    if DeviceAssignment.objects.open().filter(device=device).exists():
        return
    number = f"{DEMO_PATIENT_PREFIX}{index:03}"
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
