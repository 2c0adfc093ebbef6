"""Location: the organization's places (hospitals, clinics, wards, beds), each partOf its parent."""

from typing import Any

from django.db.models import F, QuerySet

from heartmon.clinic.models import Place, PlaceKind
from heartmon.clinic.selectors import places_for
from heartmon.core.actor import Actor
from heartmon.fhir.resources.base import FhirType, ModelSource, Resource, iso, reference

PHYSICAL_TYPES = "http://terminology.hl7.org/CodeSystem/location-physical-type"
_PHYSICAL = {
    PlaceKind.HOSPITAL: ("bu", "Building"),
    PlaceKind.CLINIC: ("bu", "Building"),
    PlaceKind.WARD: ("wa", "Ward"),
    PlaceKind.BED: ("bd", "Bed"),
}


class Places(ModelSource):
    name = "places"

    def rows(self, actor: Actor) -> QuerySet[Any]:
        return places_for(actor).annotate(fhir_last_updated=F("created_at"))

    def resource(self, row: Place, actor: Actor) -> Resource:
        code, display = _PHYSICAL[PlaceKind(row.kind)]
        resource: Resource = {
            "resourceType": "Location",
            "id": str(row.pk),
            "meta": {"lastUpdated": iso(row.created_at)},
            "status": "active",
            "name": row.name,
            "mode": "instance",
            "physicalType": {
                "coding": [{"system": PHYSICAL_TYPES, "code": code, "display": display}],
                "text": row.get_kind_display(),
            },
        }
        if row.is_bed:
            resource["operationalStatus"] = _bed_status(bool(getattr(row, "occupied", False)))
        if row.parent_id is not None:
            resource["partOf"] = reference("Location", row.parent_id)
        return resource


def _bed_status(occupied: bool) -> dict[str, str]:
    """The bed's status from http://terminology.hl7.org/CodeSystem/v2-0116."""
    code, display = ("O", "Occupied") if occupied else ("U", "Unoccupied")
    return {
        "system": "http://terminology.hl7.org/CodeSystem/v2-0116",
        "code": code,
        "display": display,
    }


LOCATION = FhirType(
    name="Location",
    role=("places", "read"),
    search_params=frozenset({"_id", "_lastUpdated"}),
    sources=(Places(),),
)
