"""The demo's ward: each simulated monitor's demo patient lies in a bed of one ward, admitted with
the monitor, so the central station has tiles with numbers from the first start."""

import pytest

from heartmon.clinic.models import Admission, Patient, Place, PlaceKind
from heartmon.clinic.services.assignments import assign_device
from heartmon.devices.models import Device, DeviceAssignment
from heartmon.simulator.fleet import prepare_fleet
from heartmon.simulator.ward import DEMO_WARD

pytestmark = pytest.mark.django_db


def test_each_demo_patient_is_admitted_with_its_monitor_to_a_bed_of_the_demo_ward(org_a, alice):
    prepare_fleet(count=3, organization=org_a, actor=alice.as_actor(), seed=1)

    ward = Place.objects.get(organization=org_a, kind=PlaceKind.WARD, name=DEMO_WARD)
    admissions = Admission.objects.filter(place__parent=ward, discharged_at__isnull=True)
    assert sorted(admissions.values_list("bed__name", "patient__patient_number")) == [
        ("Bed 1", "SIM-P001"),
        ("Bed 2", "SIM-P002"),
        ("Bed 3", "SIM-P003"),
    ]
    for admission in admissions:
        assignment = DeviceAssignment.objects.open().get(patient=admission.patient)
        assert assignment.admission == admission


def test_a_second_run_admits_nobody_twice(org_a, alice):
    prepare_fleet(count=2, organization=org_a, actor=alice.as_actor(), seed=1)

    prepare_fleet(count=3, organization=org_a, actor=alice.as_actor(), seed=1)

    assert Admission.objects.count() == 3
    assert Place.objects.filter(kind=PlaceKind.BED).count() == 3
    assert Place.objects.filter(kind=PlaceKind.WARD).count() == 1


def test_a_monitor_lent_to_a_real_patient_admits_nobody(org_a, alice):
    device = Device.objects.create(organization=org_a, serial_number="SIM-001", model="HM-3L")
    patient = Patient.objects.create(
        organization=org_a, patient_number="P-9", given_name="Ada", family_name="Byron"
    )
    assign_device(device=device, patient=patient, actor=alice.as_actor())

    prepare_fleet(count=1, organization=org_a, actor=alice.as_actor(), seed=1)

    assert not Admission.objects.exists()
