"""Patients: registration, changes, archiving."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from heartmon.audit.models import AuditAction
from heartmon.audit.services import record_event
from heartmon.clinic.models import Patient
from heartmon.core.actor import Actor
from heartmon.core.errors import Conflict, organization_id_of

# Every field a client may set; patient_number freezes once the patient has clinical history.
EDITABLE_FIELDS = (
    "patient_number",
    "given_name",
    "family_name",
    "birth_date",
    "sex",
    "phone",
    "email",
    "address",
    "notes",
)


def record_patient_event(
    action: str, *, patient: Patient, actor: Actor, details: dict[str, Any] | None = None
) -> None:
    """An event about one patient, filed under the patient's organization (a superuser has none)."""
    record_event(
        action,
        actor=actor,
        organization_id=patient.organization_id,
        target=patient,
        patient_id=patient.pk,
        details=details,
    )


def _save(patient: Patient) -> None:
    try:
        with transaction.atomic():
            patient.save()
    except IntegrityError as exc:
        raise Conflict(
            f"Patient number {patient.patient_number!r} is already in use in your organization.",
            field="patient_number",
            code="duplicate_patient_number",
        ) from exc


def has_clinical_history(patient: Patient) -> bool:
    """An admission, a device assignment or a reading ties data to the patient number."""
    return (
        patient.admissions.exists()
        or patient.device_assignments.exists()
        or patient.readings.exists()
    )


@transaction.atomic
def register_patient(*, data: dict[str, Any], actor: Actor) -> Patient:
    organization_id = organization_id_of(actor, what="manage this organization's data")
    patient = Patient(organization_id=organization_id, created_by_id=actor.user_id)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(patient, field, data[field])
    _save(patient)
    record_patient_event(AuditAction.PATIENT_CREATED, patient=patient, actor=actor)
    return patient


@transaction.atomic
def update_patient(*, patient: Patient, changes: dict[str, Any], actor: Actor) -> Patient:
    if patient.is_archived:
        raise Conflict("This patient is archived: restore them first.", code="patient_archived")
    number = changes.get("patient_number", patient.patient_number)
    if number != patient.patient_number and has_clinical_history(patient):
        raise Conflict(
            "The patient number cannot change once the patient has admissions, devices or "
            "readings.",
            field="patient_number",
            code="patient_number_frozen",
        )
    changed = sorted(
        f for f in EDITABLE_FIELDS if f in changes and changes[f] != getattr(patient, f)
    )
    for field in changed:
        setattr(patient, field, changes[field])
    _save(patient)
    record_patient_event(
        AuditAction.PATIENT_UPDATED, patient=patient, actor=actor, details={"fields": changed}
    )
    return patient


@transaction.atomic
def archive_patient(*, patient: Patient, actor: Actor) -> Patient:
    """Hide a patient from lists, keeping every record; an admitted patient is discharged first."""
    patient = Patient.objects.select_for_update().get(pk=patient.pk)  # serializes with admit
    if patient.is_archived:
        raise Conflict("This patient is already archived.", code="patient_archived")
    if patient.admissions.filter(discharged_at__isnull=True).exists():
        raise Conflict(
            "This patient is admitted: discharge them before archiving.", code="patient_admitted"
        )
    patient.archived_at = timezone.now()
    patient.save(update_fields=["archived_at", "updated_at"])
    record_patient_event(AuditAction.PATIENT_ARCHIVED, patient=patient, actor=actor)
    return patient


@transaction.atomic
def restore_patient(*, patient: Patient, actor: Actor) -> Patient:
    if not patient.is_archived:
        raise Conflict("This patient is not archived.", code="patient_not_archived")
    patient.archived_at = None
    patient.save(update_fields=["archived_at", "updated_at"])
    record_patient_event(AuditAction.PATIENT_RESTORED, patient=patient, actor=actor)
    return patient
