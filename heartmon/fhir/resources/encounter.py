"""Encounter: an admission, with its period, status and location history (the place it began
in, then each transfer's destination)."""

import uuid
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from heartmon.clinic.models import Admission, Transfer
from heartmon.clinic.selectors import admissions_for
from heartmon.core.actor import Actor
from heartmon.fhir.resources.base import (
    FhirType,
    ModelSource,
    Resource,
    iso,
    period,
    reference,
)

ACT_CODES = "http://terminology.hl7.org/CodeSystem/v3-ActCode"


class Admissions(ModelSource):
    name = "admissions"
    sort_field = "admitted_at"
    date_field = "admitted_at"
    patient_field = "patient_id"

    def rows(self, actor: Actor) -> QuerySet[Any]:
        last_move = Transfer.objects.filter(admission=OuterRef("pk")).order_by("-moved_at")
        return admissions_for(actor).annotate(
            fhir_last_updated=Greatest(
                "admitted_at",
                Coalesce("discharged_at", "admitted_at"),
                Coalesce(Subquery(last_move.values("moved_at")[:1]), "admitted_at"),
            )
        )

    def patient_of(self, row: Admission) -> uuid.UUID:
        return row.patient_id

    def resource(self, row: Admission, actor: Actor) -> Resource:
        resource: Resource = {
            "resourceType": "Encounter",
            "id": str(row.pk),
            "meta": {"lastUpdated": iso(row.fhir_last_updated)},  # type: ignore[attr-defined]
            "status": "in-progress" if row.is_open else "finished",
            "class": {"system": ACT_CODES, "code": "IMP", "display": "inpatient encounter"},
            "subject": reference("Patient", row.patient_id),
            "period": period(row.admitted_at, row.discharged_at),
            "location": _locations(row),
        }
        if row.reason:
            resource["reasonCode"] = [{"text": row.reason}]
        return resource


def _locations(admission: Admission) -> list[Resource]:
    """Where the patient was, in order: each stay ends when the next begins."""
    transfers = list(admission.transfers.all())
    first = transfers[0].from_place_id if transfers else admission.place_id
    stays = [(first, admission.admitted_at)]
    stays += [(transfer.to_place_id, transfer.moved_at) for transfer in transfers]
    ends = [moved for _, moved in stays[1:]] + [admission.discharged_at]
    return [_stay(place_id, start, end) for (place_id, start), end in zip(stays, ends, strict=True)]


def _stay(place_id: object, start: Any, end: Any) -> Resource:
    return {
        "location": reference("Location", place_id),
        "status": "active" if end is None else "completed",
        "period": period(start, end),
    }


ENCOUNTER = FhirType(
    name="Encounter",
    role=("admissions", "read"),
    search_params=frozenset({"_id", "_lastUpdated", "patient", "subject", "date", "_sort"}),
    sources=(Admissions(),),
    patient_data=True,
    in_patient_compartment=True,
)
