"""The resource types served under /fhir/R4/, in the CapabilityStatement's order. A new type is
one more module here and one more entry in TYPES (as the alarms' Flag was)."""

from heartmon.fhir.resources.base import FhirType
from heartmon.fhir.resources.device import DEVICE
from heartmon.fhir.resources.ecg import EcgSegments
from heartmon.fhir.resources.encounter import ENCOUNTER
from heartmon.fhir.resources.flag import FLAG
from heartmon.fhir.resources.location import LOCATION
from heartmon.fhir.resources.patient import PATIENT
from heartmon.fhir.resources.vitals import PROFILE_BASE, PROFILES, Readings

OBSERVATION = FhirType(
    name="Observation",
    role=("readings", "read"),
    search_params=frozenset(
        {"_id", "_lastUpdated", "patient", "subject", "code", "category", "date", "_sort"}
    ),
    sources=(Readings(), EcgSegments()),
    patient_data=True,
    in_patient_compartment=True,
    profiles=(PROFILE_BASE + "vitalsigns", *PROFILES),
)

TYPES: dict[str, FhirType] = {
    fhir_type.name: fhir_type
    for fhir_type in (PATIENT, LOCATION, ENCOUNTER, DEVICE, OBSERVATION, FLAG)
}
