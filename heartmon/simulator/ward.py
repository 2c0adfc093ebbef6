"""The demo's ward: the simulated monitors' patients lie in beds of one ward, admitted with their
monitor, so the central station shows them from the first start. Made through the services an
admin would use, and only what is missing."""

from heartmon.accounts.models import Organization
from heartmon.clinic.models import Admission, Place, PlaceKind
from heartmon.clinic.services.admissions import admit_patient
from heartmon.clinic.services.places import create_place
from heartmon.core.actor import Actor
from heartmon.devices.models import Device, DeviceAssignment
from heartmon.simulator.runs import SERIAL_PREFIX

DEMO_HOSPITAL = "Demo Hospital"
DEMO_WARD = "Cardiology ward"
DEMO_PATIENT_PREFIX = f"{SERIAL_PREFIX}P"
ADMISSION_REASON = "Demo: monitored by a simulated monitor."


def _place(
    organization: Organization, kind: str, name: str, parent: Place | None, actor: Actor
) -> Place:
    found = Place.objects.filter(organization=organization, kind=kind, name=name, parent=parent)
    return found.first() or create_place(kind=kind, name=name, parent=parent, actor=actor)


def demo_bed(*, index: int, organization: Organization, actor: Actor) -> Place:
    """Bed <index> of the demo ward, made (with the ward and its hospital) when missing."""
    hospital = _place(organization, PlaceKind.HOSPITAL, DEMO_HOSPITAL, None, actor)
    ward = _place(organization, PlaceKind.WARD, DEMO_WARD, hospital, actor)
    return _place(organization, PlaceKind.BED, f"Bed {index}", ward, actor)


def admit_to_demo_bed(*, device: Device, index: int, actor: Actor) -> None:
    """Admit the demo patient the monitor is assigned to, with it, to bed <index>, unless they
    are admitted already or someone else lies there."""
    assignment = DeviceAssignment.objects.open().filter(device=device).first()
    patient = assignment.patient if assignment else None
    if patient is None or not patient.patient_number.startswith(DEMO_PATIENT_PREFIX):
        return
    if Admission.objects.filter(patient=patient, discharged_at__isnull=True).exists():
        return
    bed = demo_bed(index=index, organization=patient.organization, actor=actor)
    if Admission.objects.filter(bed=bed, discharged_at__isnull=True).exists():
        return
    admit_patient(
        patient=patient, place=bed, devices=[device], reason=ADMISSION_REASON, actor=actor
    )
