"""The CapabilityStatement: exactly what /fhir/R4/ serves, built from the resource types."""

from django.conf import settings

from heartmon.fhir.resources import TYPES
from heartmon.fhir.resources.base import Resource

FHIR_VERSION = "4.0.1"
STATEMENT_DATE = "2026-12-06"  # when what is served last changed: update it with TYPES
EXPORT_DEFINITION = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/export"
PATIENT_EXPORT_DEFINITION = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/patient-export"
_PARAMETER_TYPES = {
    "_id": "token",
    "_lastUpdated": "date",
    "identifier": "token",
    "patient": "reference",
    "subject": "reference",
    "code": "token",
    "category": "token",
    "date": "date",
}


def capability_statement() -> Resource:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": STATEMENT_DATE,
        "publisher": "heartmon",
        "kind": "instance",
        "software": {"name": "heartmon"},
        "implementation": {
            "description": "heartmon's read-only FHIR R4 API",
            "url": f"{settings.PUBLIC_URL}/fhir/R4",
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["application/fhir+json", "json"],
        "instantiates": ["http://hl7.org/fhir/uv/bulkdata/CapabilityStatement/bulk-data"],
        "rest": [
            {
                "mode": "server",
                "security": {
                    "cors": False,
                    "description": "Bearer tokens (POST /api/v1/auth/token/) or the session "
                    "cookie, as the REST API; the role table and tenancy apply.",
                },
                "resource": [_resource(name) for name in TYPES],
                "operation": [{"name": "export", "definition": EXPORT_DEFINITION}],
            }
        ],
    }


def _resource(name: str) -> Resource:
    fhir_type = TYPES[name]
    resource: Resource = {
        "type": name,
        "interaction": [{"code": "read"}, {"code": "search-type"}],
        "versioning": "no-version",
        "readHistory": False,
        "updateCreate": False,
        "searchParam": [
            {"name": param, "type": _PARAMETER_TYPES[param]}
            for param in sorted(fhir_type.search_params)
            if param in _PARAMETER_TYPES
        ],
    }
    if fhir_type.profiles:
        resource["supportedProfile"] = list(fhir_type.profiles)
    if name == "Patient":
        resource["operation"] = [{"name": "export", "definition": PATIENT_EXPORT_DEFINITION}]
    return resource
