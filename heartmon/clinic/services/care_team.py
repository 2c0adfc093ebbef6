"""Care teams: the organization's people attached to a patient, each with a role in the team."""

from django.db import IntegrityError, transaction

from heartmon.accounts.models import User
from heartmon.audit.models import AuditAction
from heartmon.clinic.models import CareTeamMember, Patient
from heartmon.clinic.services.patients import record_patient_event
from heartmon.core.actor import Actor
from heartmon.core.errors import Conflict, InvalidInput


@transaction.atomic
def add_care_team_member(
    *, patient: Patient, user: User, role: str, actor: Actor
) -> CareTeamMember:
    if patient.is_archived:
        raise Conflict("This patient is archived: restore them first.", code="patient_archived")
    if user.organization_id != patient.organization_id or not user.is_active:
        raise InvalidInput(
            "No active user with this id in the patient's organization.", field="user"
        )
    try:
        with transaction.atomic():
            member = CareTeamMember.objects.create(patient=patient, user=user, role=role)
    except IntegrityError as exc:
        raise Conflict(
            "This user already is on the patient's care team.",
            field="user",
            code="duplicate_member",
        ) from exc
    record_patient_event(
        AuditAction.CARE_TEAM_MEMBER_ADDED,
        patient=patient,
        actor=actor,
        details={"user_id": str(user.pk), "role": role},
    )
    return member


@transaction.atomic
def remove_care_team_member(*, member: CareTeamMember, actor: Actor) -> None:
    patient, user_id, role = member.patient, member.user_id, member.role
    member.delete()
    record_patient_event(
        AuditAction.CARE_TEAM_MEMBER_REMOVED,
        patient=patient,
        actor=actor,
        details={"user_id": str(user_id), "role": role},
    )
