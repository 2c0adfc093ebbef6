"""The clinic's probes of the role table (see `accounts/tests/role_probes.py`) and its world:
a hospital → ward → beds tree, an admitted patient with a care team, an outpatient, an archived
patient."""

from typing import Any

from django.db.models import Model
from django.utils import timezone

from heartmon.accounts.tests.role_probes import Probe
from heartmon.clinic.models import Admission, CareTeamMember, Patient, Place, PlaceKind

TARGETS = {
    "places": "spare_bed",
    "patients": "patient",
    "clinical_details": "patient",
    "care_team": "patient",
    "admissions": "admission",
}
OUTPATIENT = {"pk": "outpatient"}
ARCHIVED = {"pk": "archived"}
CARE_TEAM = {"patient_pk": "patient"}
CLINICAL_FIELDS = ("notes", "phone", "email", "address")

PROBES: dict[tuple[str, str], list[Probe]] = {
    ("places", "read"): [
        Probe("place-list", "get", "list", 200, row="spare_bed"),
        Probe("place-detail", "get", "object", 200),
    ],
    ("places", "write"): [
        Probe(
            "place-list",
            "post",
            "create",
            201,
            {"kind": "hospital", "name": "Annex"},
            creates=Place,
        ),
        Probe("place-detail", "patch", "object", 200, {"name": "Bed 9"}),
        Probe("place-detail", "delete", "object", 204),
    ],
    ("patients", "read"): [
        Probe("patient-list", "get", "list", 200, row="patient"),
        Probe("patient-detail", "get", "object", 200),
    ],
    ("patients", "write"): [
        Probe(
            "patient-list",
            "post",
            "create",
            201,
            {"patient_number": "MRN-9", "given_name": "Grace", "family_name": "Hopper"},
            creates=Patient,
        ),
        Probe("patient-detail", "patch", "object", 200, {"given_name": "Adaeze"}),
        Probe("patient-detail", "delete", "object", 204, url=OUTPATIENT),  # archives
    ],
    ("patients", "archived"): [
        Probe("patient-list", "get", "list", 200, query="archived=true", row="archived"),
        # Archived patients are hidden from roles that may not see them: 404, not 403.
        Probe("patient-detail", "get", "object", 200, url=ARCHIVED, refused=404),
        Probe("patient-restore", "post", "object", 200, url=ARCHIVED),
    ],
    ("clinical_details", "read"): [
        Probe("patient-detail", "get", "object", 200, shows=CLINICAL_FIELDS),
        Probe("patient-list", "get", "list", 200, row="patient", shows=CLINICAL_FIELDS),
    ],
    ("care_team", "read"): [
        Probe("care-team", "get", "object", 200, url=CARE_TEAM, row="member"),
    ],
    ("care_team", "write"): [
        Probe(
            "care-team",
            "post",
            "object",
            201,
            lambda world: {"user": world.id("keeper"), "role": "consultant"},
            url=CARE_TEAM,
        ),
        Probe("care-team-member", "delete", "object", 204, url={**CARE_TEAM, "pk": "member"}),
    ],
    ("admissions", "read"): [
        Probe("admission-list", "get", "list", 200, row="admission"),
        Probe("admission-detail", "get", "object", 200),
        Probe("patient-admissions", "get", "object", 200, url=CARE_TEAM, row="admission"),
    ],
    ("admissions", "admit"): [
        Probe(
            "admission-list",
            "post",
            "create",
            201,
            lambda world: {
                "patient": world.id("outpatient"),
                "place": world.id("spare_bed"),
                "reason": "Palpitations",
            },
            creates=Admission,
            foreign_field="patient",
        ),
        Probe("admission-discharge", "post", "object", 200, {"reason": "Recovered"}),
        Probe(
            "admission-transfer",
            "post",
            "object",
            200,
            lambda world: {"place": world.id("spare_bed"), "reason": "Quieter room"},
        ),
    ],
}


def build(objects: dict[str, Any]) -> dict[str, Model]:
    org, keeper = objects["org_a"], objects["keeper"]
    hospital = Place.objects.create(organization=org, kind=PlaceKind.HOSPITAL, name="St Mary's")
    ward = Place.objects.create(
        organization=org, kind=PlaceKind.WARD, name="Cardio", parent=hospital
    )
    bed = Place.objects.create(organization=org, kind=PlaceKind.BED, name="Bed 1", parent=ward)
    spare_bed = Place.objects.create(
        organization=org, kind=PlaceKind.BED, name="Bed 2", parent=ward
    )

    def patient(number: str, **fields: Any) -> Patient:
        return Patient.objects.create(
            organization=org, patient_number=number, given_name="Ada", family_name=number, **fields
        )

    admitted = patient("MRN-1", notes="Allergic to penicillin", phone="+14155550123")
    return {
        "bed": bed,
        "spare_bed": spare_bed,
        "patient": admitted,
        "outpatient": patient("MRN-2"),
        "archived": patient("MRN-3", archived_at=timezone.now()),
        "member": CareTeamMember.objects.create(
            patient=admitted, user=objects["doctor"], role="attending"
        ),
        "admission": Admission.objects.create(
            organization=org,
            patient=admitted,
            place=bed,
            bed=bed,
            attending=objects["doctor"],
            reason="Chest pain",
            admitted_by=keeper,
        ),
    }
