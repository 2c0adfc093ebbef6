"""Who is told about an alarm change, written in the transaction of the change through the outbox
(`heartmon.outbox`): nothing is sent for a change that rolls back.

`notify` e-mails the people concerned when an alarm is raised, escalated, or left unacknowledged
too long, and records the `notified` step on the timeline with their ids; every step of the
timeline is also a webhook event of the organization (`webhook_events`).

Neither carries a patient's name or number: e-mail subjects and webhook payloads hold ids,
priorities, conditions, values and times; the e-mail body links to the patient's page by id."""

import uuid
from datetime import datetime

from django.conf import settings

from heartmon.accounts.models import User
from heartmon.alarms.models import Alarm, AlarmEvent, Condition, Step
from heartmon.alarms.timeline import record
from heartmon.clinic.models import Admission, CareTeamMember
from heartmon.core.roles import Role
from heartmon.metrics.registry import record_alarm_notified
from heartmon.outbox.services import enqueue_email

# Why people are told: the alarm raised or escalated (the care team), or unacknowledged too long
# (the care team is reminded; the attending doctor and the organization's admins are told).
RAISED, ESCALATED, UNACKNOWLEDGED = "raised", "escalated", "unacknowledged"
WHAT_HAPPENED = {
    RAISED: "raised",
    ESCALATED: "escalated to high priority",
    UNACKNOWLEDGED: "still unacknowledged",
}


def notify(alarm: Alarm, *, reason: str, at: datetime) -> AlarmEvent:
    """E-mail the people concerned (`at`: the time of the change that calls for it)."""
    recipients = care_team(alarm)
    if reason == UNACKNOWLEDGED:
        recipients |= escalation_contacts(alarm)
    people = User.objects.filter(pk__in=recipients, is_active=True).exclude(email="")
    for person in people.order_by("pk"):
        enqueue_email(
            to=person.email,
            subject=subject(alarm, reason),
            body=body(alarm, reason, at),
            organization_id=alarm.organization_id,
        )
    record_alarm_notified(reason=reason, emails=len(people))
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


def subject(alarm: Alarm, reason: str) -> str:
    """Priority and condition only: subjects show on lock screens and in mail logs."""
    return f"heartmon: {alarm.priority} alarm, {condition_label(alarm)}, {WHAT_HAPPENED[reason]}"


def body(alarm: Alarm, reason: str, at: datetime) -> str:
    value = "" if alarm.value is None else f"Value that raised it: {alarm.value:g}\n"
    return (
        f"A {alarm.priority}-priority {condition_label(alarm)} alarm was "
        f"{WHAT_HAPPENED[reason]} at {at:%Y-%m-%d %H:%M:%S} UTC.\n"
        f"{value}\n"
        f"The patient: {settings.PUBLIC_URL}/patients/{alarm.patient_id}\n"
        f"Alarm {alarm.pk}\n"
    )


def condition_label(alarm: Alarm) -> str:
    return (
        str(Condition(alarm.condition).label) if alarm.condition in Condition else alarm.condition
    )
