"""Patient: identifier (the patient number, in the organization's system), name, gender, birth
date; telecom only for the roles that see clinical details, as in the REST API."""

import uuid
from typing import Any

from django.db.models import F, QuerySet

from heartmon.clinic.models import Patient
from heartmon.clinic.selectors import patients_for
from heartmon.core.actor import Actor
from heartmon.core.roles import may
from heartmon.fhir.query import Query
from heartmon.fhir.resources.base import FhirType, ModelSource, Resource, iso, uuids


def identifier_system(organization_id: object) -> str:
    """Patient numbers are unique within an organization: each organization is its own system."""
    return f"urn:uuid:{organization_id}"


class Patients(ModelSource):
    name = "patients"
    patient_field = "pk"

    def rows(self, actor: Actor) -> QuerySet[Any]:
        return patients_for(actor).annotate(fhir_last_updated=F("updated_at"))

    def patient_of(self, row: Patient) -> uuid.UUID:
        return row.pk

    def narrowed(self, rows: QuerySet[Any], query: Query) -> QuerySet[Any]:
        token = query.identifier
        if token is None:
            return rows
        rows = rows.filter(patient_number=token.code)
        if token.system is not None:
            rows = rows.filter(organization_id__in=uuids([token.system.removeprefix("urn:uuid:")]))
        return rows

    def resource(self, row: Patient, actor: Actor) -> Resource:
        resource: Resource = {
            "resourceType": "Patient",
            "id": str(row.pk),
            "meta": {"lastUpdated": iso(row.updated_at)},
            "identifier": [
                {
                    "use": "usual",
                    "system": identifier_system(row.organization_id),
                    "value": row.patient_number,
                }
            ],
            "active": not row.is_archived,
            "name": [{"use": "official", "family": row.family_name, "given": [row.given_name]}],
            "gender": row.sex,
        }
        if row.birth_date is not None:
            resource["birthDate"] = row.birth_date.isoformat()
        if may(actor, "clinical_details", "read"):
            telecom = _telecom(row)
            if telecom:
                resource["telecom"] = telecom
        return resource


def _telecom(row: Patient) -> list[dict[str, str]]:
    points = [("phone", row.phone), ("email", row.email)]
    return [{"system": system, "value": value} for system, value in points if value]


PATIENT = FhirType(
    name="Patient",
    role=("patients", "read"),
    search_params=frozenset({"_id", "_lastUpdated", "identifier"}),
    sources=(Patients(),),
    patient_data=True,
    in_patient_compartment=True,
)
