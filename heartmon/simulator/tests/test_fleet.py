"""The simulator's demo devices: created once and reused, a key of the run's own each run, each
with a demo patient when both are free, never another organization's."""

import pytest

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.clinic.models import Patient
from heartmon.clinic.services.assignments import assign_device
from heartmon.devices.authentication import use_key
from heartmon.devices.models import Device, DeviceAssignment
from heartmon.simulator.fleet import prepare_fleet

pytestmark = pytest.mark.django_db


def test_it_creates_devices_with_working_keys_and_demo_patients(org_a, alice):
    fleet = prepare_fleet(count=3, organization=org_a, actor=alice.as_actor(), seed=1)

    assert [device.serial for device in fleet.devices] == ["SIM-001", "SIM-002", "SIM-003"]
    for simulated in fleet.devices:
        device = use_key(simulated.key).device
        assert device.serial_number == simulated.serial
        assert device.organization == org_a
        assignment = DeviceAssignment.objects.open().get(device=device)
        assert assignment.patient.patient_number == f"SIM-P{simulated.serial[-3:]}"
    assert AuditEvent.objects.filter(action=AuditAction.PATIENT_CREATED).count() == 3
    assert AuditEvent.objects.filter(action=AuditAction.DEVICE_ASSIGNED).count() == 3


def test_a_second_run_reuses_everything_but_the_keys(org_a, alice):
    first = prepare_fleet(count=2, organization=org_a, actor=alice.as_actor(), seed=1)

    second = prepare_fleet(count=2, organization=org_a, actor=alice.as_actor(), seed=1)

    assert Device.objects.count() == 2
    assert Patient.objects.count() == 2
    assert DeviceAssignment.objects.count() == 2
    assert second.devices[0].key != first.devices[0].key
    assert use_key(second.devices[0].key).device.serial_number == "SIM-001"


def test_a_run_may_start_at_another_device(org_a, alice):
    fleet = prepare_fleet(count=2, first=4, organization=org_a, actor=alice.as_actor(), seed=1)

    assert [device.serial for device in fleet.devices] == ["SIM-004", "SIM-005"]
    assignment = DeviceAssignment.objects.open().get(device__serial_number="SIM-004")
    assert assignment.patient.patient_number == "SIM-P004"


def test_a_device_already_monitoring_someone_keeps_its_patient(org_a, alice):
    device = Device.objects.create(organization=org_a, serial_number="SIM-001", model="HM-3L")
    patient = Patient.objects.create(
        organization=org_a, patient_number="P-9", given_name="Ada", family_name="Byron"
    )
    assign_device(device=device, patient=patient, actor=alice.as_actor())

    prepare_fleet(count=1, organization=org_a, actor=alice.as_actor(), seed=1)

    assert DeviceAssignment.objects.open().get(device=device).patient == patient
    assert not Patient.objects.filter(patient_number="SIM-P001").exists()


def test_a_demo_serial_of_another_organization_is_refused(org_a, org_b, alice):
    Device.objects.create(organization=org_b, serial_number="SIM-001", model="HM-3L")

    with pytest.raises(ValueError, match="belongs to another organization"):
        prepare_fleet(count=1, organization=org_a, actor=alice.as_actor(), seed=1)

    assert not Device.objects.filter(organization=org_a).exists()
