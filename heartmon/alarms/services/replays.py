"""What-if replays asked for by people and the shell: which patients, which rules, which
readings; the work itself is `replay`'s. Nothing is written but the audit of the read."""

import uuid
from collections.abc import Collection
from datetime import datetime
from typing import Any

from django.db.models import Q

from heartmon.alarms import engine, replay
from heartmon.alarms.selectors import effective_rules, whereabouts
from heartmon.audit.services import record_read
from heartmon.clinic.models import Admission, Patient, Place
from heartmon.core.actor import Actor

# hospital > clinic > ward > bed: a place's descendants are at most three levels down.
_UNDER = ("place", "place__parent", "place__parent__parent", "place__parent__parent__parent")


def patients_at(place: Place, *, start: datetime, end: datetime) -> list[uuid.UUID]:
    """Patients admitted to the place, or anywhere in it, at some time in [start, end)."""
    anywhere_under = Q()
    for path in _UNDER:
        anywhere_under |= Q(**{f"{path}_id": place.pk})
    stays = Admission.objects.filter(anywhere_under, admitted_at__lt=end).filter(
        Q(discharged_at__isnull=True) | Q(discharged_at__gt=start)
    )
    return list(stays.values_list("patient_id", flat=True).distinct())


def rules_for(
    patient_ids: Collection[uuid.UUID], proposed: dict[str, engine.Limits] | None
) -> dict[uuid.UUID, dict[str, engine.Limits]]:
    """The proposed rules for every patient, or each patient's effective rules now."""
    if proposed is not None:
        return dict.fromkeys(patient_ids, proposed)
    effective = effective_rules(whereabouts(patient_ids))
    return {
        patient_id: {metric: rule.limits for metric, rule in rules.items()}
        for patient_id, rules in effective.items()
    }


def replay_alarms(
    *,
    patient: Patient | None = None,
    place: Place | None = None,
    start: datetime,
    end: datetime,
    proposed: dict[str, engine.Limits] | None = None,
    actor: Actor,
) -> dict[str, Any]:
    """The alarms the rules would have raised for the patient (or everyone at the place) over
    [start, end), audited as a read of those patients' readings."""
    if patient is not None:
        patient_ids = [patient.pk]
    elif place is not None:
        patient_ids = patients_at(place, start=start, end=end)
    else:
        raise TypeError("Replay a patient or a place.")
    series = replay.load_series(patient_ids, start=start, end=end)
    episodes = replay.replay(series, rules_for(patient_ids, proposed))
    record_read(
        "alarm_rule.replayed",
        actor=actor,
        patient_ids=patient_ids,
        target=patient or place,
        details={"start": start.isoformat(), "end": end.isoformat()},
    )
    readings = sum(len(found.times) for found in series.values())
    return {
        "patients": [str(pk) for pk in patient_ids],
        "rules": "proposed" if proposed is not None else "effective",
        **replay.summary(episodes, readings=readings),
    }
