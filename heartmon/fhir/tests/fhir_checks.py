"""What every test checks of a served resource: it validates against FHIR R4 (fhir.resources'
R4B models, identical to R4 for the resources served), and an Observation that claims the
vital-signs profile meets the profile's invariants, run with a FHIRPath engine."""

from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhirpathpy import evaluate as evaluate_any
from fhirpathpy.models import models

from heartmon.fhir.outcomes import FHIR_JSON

VITAL_SIGNS = "http://hl7.org/fhir/StructureDefinition/vitalsigns"
# The R4 vital-signs profile's constraints (vs-1 to vs-3) and what it fixes: the category, a
# LOINC code, a subject, a UCUM quantity.
VITAL_SIGNS_RULES = {
    "vs-1": "effective.ofType(dateTime).all($this.toString().length() >= 8)",
    "vs-2": "(component.empty() and hasMember.empty()) implies "
    "(dataAbsentReason.exists() or value.exists())",
    "vs-3": "component.all(value.exists() or dataAbsentReason.exists())",
    "category": "category.coding.where(system = "
    "'http://terminology.hl7.org/CodeSystem/observation-category' and code = 'vital-signs')"
    ".exists()",
    "code": "code.coding.where(system = 'http://loinc.org').exists()",
    "subject": "subject.reference.startsWith('Patient/')",
    "effective": "effective.exists()",
    "unit": "value.ofType(Quantity).all(system = 'http://unitsofmeasure.org' and code.exists() "
    "and value.exists())",
}
PROFILE_CODES = {
    "heartrate": ("8867-4", "/min"),
    "oxygensat": ("2708-6", "%"),
    "resprate": ("9279-1", "/min"),
    "bodytemp": ("8310-5", "Cel"),
}


def evaluate(resource: dict[str, Any], path: str) -> list[Any]:
    """A FHIRPath expression on the resource, choice types (value[x]) resolved as R4 has them."""
    return list(evaluate_any(resource, path, {}, models["r4"]))


def valid(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource, after fhir.resources parsed it without error (and the profile checks)."""
    model = get_fhir_model_class(resource["resourceType"])
    model.model_validate(resource)
    for entry in resource.get("entry", []):
        valid(entry["resource"])
    if VITAL_SIGNS in resource.get("meta", {}).get("profile", []):
        check_vital_signs(resource)
    return resource


def check_vital_signs(observation: dict[str, Any]) -> None:
    for name, rule in VITAL_SIGNS_RULES.items():
        assert evaluate(observation, rule) == [True], (name, observation)
    for profile in observation["meta"]["profile"]:
        kind = profile.rsplit("/", 1)[1]
        if kind in PROFILE_CODES:
            code, unit = PROFILE_CODES[kind]
            assert evaluate(observation, f"code.coding.where(code = '{code}').exists()") == [True]
            assert evaluate(observation, "value.ofType(Quantity).code") == [unit]


def fhir_json(response: Any, status: int = 200) -> dict[str, Any]:
    """The body of a FHIR answer with this status, validated."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith(FHIR_JSON)
    return valid(response.json())


def assert_outcome(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    body = fhir_json(response, status)
    assert body["resourceType"] == "OperationOutcome"
    assert body["issue"][0]["severity"] == "error"
    if code is not None:
        assert body["issue"][0]["code"] == code, body
    return body
