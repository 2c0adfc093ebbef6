"""Patients: registration, changes, archiving, and the audit trail of who read them."""

from collections.abc import Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from heartmon.audit.models import AuditAction
from heartmon.audit.services import record_event
from heartmon.clinic.models import Patient
from heartmon.clinic.services import organization_of
from heartmon.core.errors import Conflict

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


def audit(action: str, *, patient: Patient, request: Any, **fields: Any) -> None:
    """An event about one patient, filed under the patient's organization (a superuser has none)."""
    record_event(
        action,
        request=request,
        organization=patient.organization,
        target=patient,
        patient_id=patient.pk,
        **fields,
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
def register_patient(*, data: dict[str, Any], actor: Any, request: Any) -> Patient:
    patient = Patient(organization=organization_of(actor), created_by=actor)
    for field in EDITABLE_FIELDS:
        if field in data:
            setattr(patient, field, data[field])
    _save(patient)
    audit(AuditAction.PATIENT_CREATED, patient=patient, request=request)
    return patient


@transaction.atomic
def update_patient(*, patient: Patient, changes: dict[str, Any], request: Any) -> Patient:
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
    audit(
        AuditAction.PATIENT_UPDATED, patient=patient, request=request, details={"fields": changed}
    )
    return patient


@transaction.atomic
def archive_patient(*, patient: Patient, request: Any) -> Patient:
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
    audit(AuditAction.PATIENT_ARCHIVED, patient=patient, request=request)
    return patient


@transaction.atomic
def restore_patient(*, patient: Patient, request: Any) -> Patient:
    if not patient.is_archived:
        raise Conflict("This patient is not archived.", code="patient_not_archived")
    patient.archived_at = None
    patient.save(update_fields=["archived_at", "updated_at"])
    audit(AuditAction.PATIENT_RESTORED, patient=patient, request=request)
    return patient


def record_patients_listed(*, patient_ids: Iterable[str], request: Any) -> None:
    """One event per list request, naming the patients on the page returned."""
    ids = list(patient_ids)
    record_event(
        AuditAction.PATIENTS_LISTED,
        request=request,
        details={"patient_ids": ids, "count": len(ids), "query": request.GET.urlencode()},
    )
