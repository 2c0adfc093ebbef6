"""May this person watch that stream? Tenancy (another organization's patient or place is a
404, as over REST) and the role table (watching patient data is reading readings: admins,
doctors and nurses; the ECG also needs `ecg_recordings: signal`). Checked at subscribe time,
again when a watched patient is discharged or moved, and when the account is re-checked.
Every granted subscription to patient data is audited once."""

import uuid
from dataclasses import dataclass, field

from heartmon.audit.services import record_read
from heartmon.clinic.selectors import patients_for, places_for
from heartmon.core.actor import Actor
from heartmon.core.errors import Conflict, NotFound
from heartmon.core.roles import may
from heartmon.live import places
from heartmon.live.auth import Forbidden
from heartmon.live.streams import Stream

SUBSCRIBED = "live.subscribed"  # audit actions
FOLLOWED = "live.followed"  # a patient admitted under a watched place


@dataclass
class Grant:
    stream: Stream
    patient_ids: set[uuid.UUID] = field(default_factory=set)  # whose vitals and ECG it carries
    ecg: bool = False
    organization_id: uuid.UUID | None = None  # the alarm feed's


def authorize(actor: Actor, stream: Stream) -> Grant:
    """The grant for `stream`, or the domain error to answer (404, 403, 409)."""
    if not may(actor, "readings", "read"):
        raise Forbidden("Your role does not allow watching patient data live.")
    ecg = may(actor, "ecg_recordings", "signal")
    if stream.kind == "patient":
        if not patients_for(actor).filter(pk=stream.target).exists():
            raise NotFound("No such patient.")
        return Grant(stream, {stream.target}, ecg)
    if stream.kind == "place":
        place = places_for(actor).filter(pk=stream.target).first()
        if place is None:
            raise NotFound("No such place.")
        return Grant(stream, places.patients_under(place), ecg)
    if not may(actor, "alarms", "read"):
        raise Forbidden("Your role does not allow watching the alarms.")
    if actor.organization_id is None:
        raise Conflict("You belong to no organization: no alarm feed.", code="no_organization")
    return Grant(stream, ecg=ecg, organization_id=actor.organization_id)


def audit_subscription(actor: Actor, grant: Grant) -> None:
    if grant.stream.kind != "alarms":
        record_read(SUBSCRIBED, actor=actor, patient_ids=grant.patient_ids, query=grant.stream.name)


def may_follow(actor: Actor, patient_id: uuid.UUID, *, via: Stream) -> bool:
    """A patient newly under a watched place: followed when the actor may see them (audited)."""
    if not patients_for(actor).filter(pk=patient_id).exists():
        return False
    record_read(FOLLOWED, actor=actor, patient_ids=[patient_id], query=via.name)
    return True
