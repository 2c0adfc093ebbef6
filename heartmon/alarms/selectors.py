"""Reads: the effective rule of each patient and metric (set-based, for the engine and the API),
and the alarms a person may see."""

import uuid
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from heartmon.alarms.models import RULE_METRICS, Alarm, AlarmRule
from heartmon.clinic.models import Admission, Patient
from heartmon.core.actor import Actor


@dataclass(frozen=True)
class Whereabouts:
    """Where a patient is: their organization, and their place up the tree from the bed (empty
    when not admitted)."""

    organization_id: uuid.UUID
    places: tuple[uuid.UUID, ...]

    @property
    def place_id(self) -> uuid.UUID | None:
        return self.places[0] if self.places else None


def whereabouts(
    patient_ids: Collection[uuid.UUID], *, lock: bool = False, skip_locked: bool = False
) -> dict[uuid.UUID, Whereabouts]:
    """Each patient's organization and open admission's place with its ancestors, in one query.
    `lock`: hold the patients' rows until the transaction ends (in a fixed order), so that the
    engine evaluates one patient's batches one at a time; `skip_locked`: leave out patients
    someone else holds (the timed checks come back to them)."""
    patients = Patient.objects.filter(pk__in=list(patient_ids)).order_by("pk")
    if lock:
        patients = patients.select_for_update(of=("self",), skip_locked=skip_locked)
    rows = patients.values_list(
        "pk",
        "organization_id",
        "admissions__place_id",
        "admissions__place__parent_id",
        "admissions__place__parent__parent_id",
        "admissions__discharged_at",
    )
    found: dict[uuid.UUID, Whereabouts] = {}
    for pk, organization_id, *chain, discharged_at in rows:
        places = tuple(place for place in chain if place is not None)
        if discharged_at is not None or not places:
            found.setdefault(pk, Whereabouts(organization_id, ()))
        else:
            found[pk] = Whereabouts(organization_id, places)
    return found


def effective_rules(
    where: dict[uuid.UUID, Whereabouts],
) -> dict[uuid.UUID, dict[str, AlarmRule]]:
    """For each patient, the most specific rule of each metric: the patient's own, else the
    nearest place's up from their bed, else their organization's default. One query."""
    organizations = {place.organization_id for place in where.values()}
    places = {place for entry in where.values() for place in entry.places}
    rules = AlarmRule.objects.filter(
        Q(organization_id__in=organizations, place=None, patient=None)
        | Q(place_id__in=places)
        | Q(patient_id__in=list(where))
    )
    defaults: dict[tuple[uuid.UUID, str], AlarmRule] = {}
    by_place: dict[tuple[uuid.UUID, str], AlarmRule] = {}
    by_patient: dict[tuple[uuid.UUID, str], AlarmRule] = {}
    for rule in rules:
        if rule.patient_id is not None:
            by_patient[rule.patient_id, rule.metric] = rule
        elif rule.place_id is not None:
            by_place[rule.place_id, rule.metric] = rule
        else:
            defaults[rule.organization_id, rule.metric] = rule
    return {
        patient_id: _most_specific(patient_id, entry, defaults, by_place, by_patient)
        for patient_id, entry in where.items()
    }


def _most_specific(
    patient_id: uuid.UUID,
    entry: Whereabouts,
    defaults: dict[tuple[uuid.UUID, str], AlarmRule],
    by_place: dict[tuple[uuid.UUID, str], AlarmRule],
    by_patient: dict[tuple[uuid.UUID, str], AlarmRule],
) -> dict[str, AlarmRule]:
    chosen = {}
    for metric in RULE_METRICS:
        candidates = [
            by_patient.get((patient_id, metric)),
            *(by_place.get((place, metric)) for place in entry.places),
            defaults.get((entry.organization_id, metric)),
        ]
        rule = next((rule for rule in candidates if rule is not None), None)
        if rule is not None:
            chosen[metric.value] = rule
    return chosen


def rules_for(actor: Actor) -> QuerySet[AlarmRule]:
    return AlarmRule.objects.visible_to(actor).select_related("place", "patient")


def alarms_for(actor: Actor) -> QuerySet[Alarm]:
    return Alarm.objects.visible_to(actor).select_related("patient", "place")


def open_admission_place(patient: Patient) -> uuid.UUID | None:
    return (
        Admission.objects.filter(patient=patient, discharged_at__isnull=True)
        .values_list("place_id", flat=True)
        .first()
    )
