"""Admissions: admit a patient to a bed or ward with devices, transfer, discharge.

The database holds the invariants (one open admission per patient and per bed, one open
assignment per device); a violation inside its savepoint becomes a 409 naming what is taken, so
two simultaneous admits leave exactly one winner."""

import logging
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from heartmon.accounts.models import User
from heartmon.audit.models import AuditAction
from heartmon.clinic.models import ADMITTING_KINDS, Admission, Patient, Place, Transfer
from heartmon.clinic.services.assignments import assign_device, end_assignments
from heartmon.clinic.services.patients import record_patient_event
from heartmon.clinic.signals import admission_changed
from heartmon.core.actor import Actor
from heartmon.core.errors import Conflict, InvalidInput
from heartmon.core.roles import Role
from heartmon.devices.models import Device, DeviceAssignment

ATTENDING_ROLES = frozenset({Role.DOCTOR, Role.ADMIN})

logger = logging.getLogger(__name__)


def _announce_after_commit(admission: Admission, event: str, **details: Any) -> None:
    """Tell the apps above (live streams) once the change is durable; their failure is theirs."""

    def announce() -> None:
        outcomes = admission_changed.send_robust(
            sender=Admission, admission_id=admission.pk, event=event, **details
        )
        for _receiver, outcome in outcomes:
            if isinstance(outcome, Exception):
                logger.error("A receiver of admission changes failed: %r", outcome)

    transaction.on_commit(announce)


def _place_errors(patient: Patient, place: Place) -> list[str]:
    if place.organization_id != patient.organization_id:
        return ["No such place in the patient's organization."]
    if place.kind not in ADMITTING_KINDS:
        return [f"Patients are admitted to a bed or a ward, not to a {place.kind}."]
    return []


def _admission_errors(
    patient: Patient, place: Place, devices: Sequence[Device], attending: User | None
) -> dict[str, list[str]]:
    errors = {"place": _place_errors(patient, place)}
    if attending is not None and (
        attending.organization_id != patient.organization_id
        or attending.role not in ATTENDING_ROLES
        or not attending.is_active
    ):
        errors["attending"] = [
            "The attending must be an active doctor or admin of the organization."
        ]
    if any(device.organization_id != patient.organization_id for device in devices):
        errors["devices"] = ["No such device in the patient's organization."]
    elif len({device.pk for device in devices}) != len(devices):
        errors["devices"] = ["A device is listed more than once."]
    return errors


def _raise_if_invalid(errors: dict[str, list[str]]) -> None:
    errors = {field: messages for field, messages in errors.items() if messages}
    if errors:
        field, messages = next(iter(errors.items()))
        raise InvalidInput(f"{field}: {messages[0]}", errors=errors)


def _save_or_conflict(admission: Admission, **save_kwargs: Any) -> None:
    try:
        with transaction.atomic():
            admission.save(**save_kwargs)
    except IntegrityError as exc:
        open_admissions = Admission.objects.filter(discharged_at__isnull=True)
        if (
            open_admissions.filter(patient_id=admission.patient_id)
            .exclude(pk=admission.pk)
            .exists()
        ):
            raise Conflict(
                "This patient already has an open admission: discharge or transfer it instead.",
                code="patient_already_admitted",
            ) from exc
        raise Conflict(
            f"Bed {admission.place.name} is occupied by another patient.",
            field="place",
            code="bed_occupied",
        ) from exc


@transaction.atomic
def admit_patient(
    *,
    patient: Patient,
    place: Place,
    devices: Sequence[Device] = (),
    attending: User | None = None,
    reason: str,
    actor: Actor,
) -> Admission:
    _raise_if_invalid(_admission_errors(patient, place, devices, attending))
    patient = Patient.objects.select_for_update().get(pk=patient.pk)  # serializes with archiving
    if patient.is_archived:
        raise Conflict("This patient is archived: restore them first.", code="patient_archived")
    admission = Admission(
        organization_id=patient.organization_id,
        patient=patient,
        place=place,
        bed=place if place.is_bed else None,
        attending=attending,
        reason=reason,
        admitted_by_id=actor.person_id,
    )
    _save_or_conflict(admission)
    for device in devices:
        _monitor_in(admission, device=device, actor=actor)
    record_patient_event(
        AuditAction.ADMISSION_CREATED,
        patient=patient,
        actor=actor,
        details={
            "admission_id": str(admission.pk),
            "place_id": str(place.pk),
            "device_ids": [str(device.pk) for device in devices],
        },
    )
    _announce_after_commit(admission, "admitted")
    return admission


def _monitor_in(admission: Admission, *, device: Device, actor: Actor) -> None:
    """Assign the device for the admission; one already assigned to this patient (outside an
    admission) joins it as it is, so admitting with it is no conflict."""
    held = DeviceAssignment.objects.filter(
        device=device, patient_id=admission.patient_id, ended_at__isnull=True
    )
    if not held.update(admission=admission):
        assign_device(device=device, patient=admission.patient, actor=actor, admission=admission)


def _lock_open(admission: Admission) -> Admission:
    locked = (
        Admission.objects.select_for_update()
        .select_related("patient", "place")
        .get(pk=admission.pk)
    )
    if not locked.is_open:
        raise Conflict("This admission is already discharged.", code="admission_closed")
    return locked


@transaction.atomic
def transfer_patient(*, admission: Admission, place: Place, reason: str, actor: Actor) -> Admission:
    admission = _lock_open(admission)
    _raise_if_invalid({"place": _place_errors(admission.patient, place)})
    if place.pk == admission.place_id:
        raise InvalidInput("The patient already is at this place.", field="place")
    from_place = admission.place
    admission.place, admission.bed = place, (place if place.is_bed else None)
    _save_or_conflict(admission, update_fields=["place", "bed"])
    Transfer.objects.create(
        admission=admission,
        from_place=from_place,
        to_place=place,
        reason=reason,
        moved_by_id=actor.person_id,
    )
    record_patient_event(
        AuditAction.ADMISSION_TRANSFERRED,
        patient=admission.patient,
        actor=actor,
        details={
            "admission_id": str(admission.pk),
            "from_place_id": str(from_place.pk),
            "to_place_id": str(place.pk),
        },
    )
    _announce_after_commit(admission, "transferred", from_place_id=from_place.pk)
    return admission


@transaction.atomic
def discharge_patient(*, admission: Admission, reason: str, actor: Actor) -> Admission:
    """Close the admission: its bed and devices are free again."""
    admission = _lock_open(admission)
    admission.discharged_at = timezone.now()
    admission.discharged_by_id = actor.user_id
    admission.discharge_reason = reason
    admission.save(update_fields=["discharged_at", "discharged_by", "discharge_reason"])
    freed = end_assignments(assignments=admission.device_assignments.open(), actor=actor)
    record_patient_event(
        AuditAction.ADMISSION_DISCHARGED,
        patient=admission.patient,
        actor=actor,
        details={"admission_id": str(admission.pk), "devices_freed": freed},
    )
    _announce_after_commit(admission, "discharged")
    return admission
