"""Flag: an alarm, a warning about the patient open for a while. `status` active while the alarm
is open, inactive once closed; `period` from raised to closed; `subject` the patient; `author` the
device that measured it; `code` the condition; the standard `flag-priority` extension its
priority (PL, PM, PH: low, medium, high); `category` clinical for a patient alarm, safety for a
technical one (the monitoring itself failing)."""

import uuid
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from heartmon.alarms.models import Alarm, AlarmEvent, Condition, Kind
from heartmon.alarms.selectors import alarms_for
from heartmon.core.actor import Actor
from heartmon.fhir.resources.base import (
    FhirType,
    ModelSource,
    Resource,
    iso,
    period,
    reference,
)

PRIORITY_EXTENSION = "http://hl7.org/fhir/StructureDefinition/flag-priority"
PRIORITY_CODES = "http://terminology.hl7.org/CodeSystem/flag-priority-code"
PRIORITIES = {
    "low": ("PL", "Low priority"),
    "medium": ("PM", "Medium priority"),
    "high": ("PH", "High priority"),
}
CATEGORIES = "http://terminology.hl7.org/CodeSystem/flag-category"
CATEGORY = {Kind.PATIENT: ("clinical", "Clinical"), Kind.TECHNICAL: ("safety", "Safety")}
CONDITIONS = "urn:heartmon:alarm-condition"


class Alarms(ModelSource):
    name = "alarms"
    sort_field = "raised_at"
    date_field = "raised_at"
    patient_field = "patient_id"

    def rows(self, actor: Actor) -> QuerySet[Any]:
        last_step = AlarmEvent.objects.filter(alarm=OuterRef("pk")).order_by("-at")
        return alarms_for(actor).annotate(
            fhir_last_updated=Coalesce(Subquery(last_step.values("at")[:1]), "raised_at")
        )

    def patient_of(self, row: Alarm) -> uuid.UUID:
        return row.patient_id

    def resource(self, row: Alarm, actor: Actor) -> Resource:
        resource: Resource = {
            "resourceType": "Flag",
            "id": str(row.pk),
            "meta": {"lastUpdated": iso(row.fhir_last_updated)},  # type: ignore[attr-defined]
            "extension": [_priority(row.priority)],
            "status": "active" if row.is_open else "inactive",
            "category": [_coded(CATEGORIES, *CATEGORY[Kind(row.kind)])],
            "code": _coded(CONDITIONS, row.condition, _label(row.condition)),
            "subject": reference("Patient", row.patient_id),
            "period": period(row.raised_at, row.closed_at),
        }
        if row.device_id is not None:
            resource["author"] = reference("Device", row.device_id)
        return resource


def _priority(priority: str) -> Resource:
    return {
        "url": PRIORITY_EXTENSION,
        "valueCodeableConcept": _coded(PRIORITY_CODES, *PRIORITIES[priority]),
    }


def _coded(system: str, code: str, display: str) -> Resource:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def _label(condition: str) -> str:
    return str(Condition(condition).label) if condition in Condition.values else condition


FLAG = FhirType(
    name="Flag",
    role=("alarms", "read"),
    search_params=frozenset({"_id", "_lastUpdated", "patient", "subject", "date", "_sort"}),
    sources=(Alarms(),),
    patient_data=True,
    in_patient_compartment=True,
)
