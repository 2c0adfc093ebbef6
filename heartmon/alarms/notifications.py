"""Who is told about an alarm change: one function, called in the transaction of the change.

For now it records the `notified` step on the alarm's timeline with the people it is for (ids,
never names); the outbox (`heartmon.outbox`, which delivers e-mails and webhooks) takes it from
here once it lands, so a notification is written exactly when its alarm change commits."""

import uuid
from datetime import datetime

from heartmon.accounts.models import User
from heartmon.alarms.models import Alarm, AlarmEvent, Step
from heartmon.alarms.timeline import record
from heartmon.clinic.models import Admission, CareTeamMember
from heartmon.core.roles import Role

# Why people are told: the alarm raised or escalated (the care team), or unacknowledged too long
# (the care team is reminded; the attending doctor and the organization's admins are told).
RAISED, ESCALATED, UNACKNOWLEDGED = "raised", "escalated", "unacknowledged"


def notify(alarm: Alarm, *, reason: str, at: datetime) -> AlarmEvent:
    """Tell the people concerned (`at`: the time of the change that calls for it)."""
    recipients = care_team(alarm)
    if reason == UNACKNOWLEDGED:
        recipients |= escalation_contacts(alarm)
    return record(
        alarm,
        Step.NOTIFIED,
        at=at,
        details={"reason": reason, "recipients": sorted(map(str, recipients))},
    )


def care_team(alarm: Alarm) -> set[uuid.UUID]:
    members = CareTeamMember.objects.filter(patient_id=alarm.patient_id)
    return set(members.values_list("user_id", flat=True))


def escalation_contacts(alarm: Alarm) -> set[uuid.UUID]:
    """The attending doctor of the patient's open admission and the organization's admins."""
    admins = User.objects.filter(
        organization_id=alarm.organization_id, role=Role.ADMIN, is_active=True
    )
    attending = Admission.objects.filter(
        patient_id=alarm.patient_id, discharged_at__isnull=True, attending__isnull=False
    ).values_list("attending_id", flat=True)
    return set(admins.values_list("pk", flat=True)) | set(attending)
