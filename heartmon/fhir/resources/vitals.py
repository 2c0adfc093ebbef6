"""Readings as Observations (`reading-<id>`) following the R4 vital-signs profiles: LOINC codes,
UCUM units, category vital-signs, the patient, the device and the time measured. A heart rate
that the ECG analysis derived names the 10-second ECG Observation it came from (derivedFrom).
Generic readings (reference 004's unlabelled values) are Observations without the profile."""

import bisect
import uuid
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from heartmon.core.actor import Actor
from heartmon.ecg.selectors import recordings_for
from heartmon.fhir.columns import InstantText, UuidText, instant
from heartmon.fhir.query import Query, Token, names
from heartmon.fhir.resources.base import (
    UCUM,
    Entry,
    PatientId,
    Resource,
    key_time,
    keyset,
    ordered,
    plain_ids,
)
from heartmon.fhir.resources.ecg import OBSERVATION_CATEGORY, segment_id, segment_of
from heartmon.telemetry.models import Metric, Reading, Source

LOINC = "http://loinc.org"
PROFILE_BASE = "http://hl7.org/fhir/StructureDefinition/"
ID_PREFIX = "reading-"
# A reading's columns, ids and times as text (see heartmon.fhir.columns).
COLUMNS = {
    "fhir_device": UuidText("device_id"),
    "fhir_patient": UuidText("patient_id"),
    "fhir_recorded": InstantText("recorded_at"),
    "fhir_received": InstantText("received_at"),
}
FIELDS = ("id", *list(COLUMNS)[:2], "metric", "value", *list(COLUMNS)[2:], "source")
VITAL_SIGNS = [
    {
        "coding": [
            {"system": OBSERVATION_CATEGORY, "code": "vital-signs", "display": "Vital Signs"}
        ],
        "text": "Vital Signs",
    }
]
DERIVED_FROM_ECG = {"text": "Derived from the ECG recording"}


@dataclass(frozen=True)
class Vital:
    codes: tuple[tuple[str, str], ...]  # LOINC (code, display), the profile's own code first
    unit: str  # UCUM
    profile: str

    @property
    def code(self) -> Resource:
        coding = [{"system": LOINC, "code": code, "display": text} for code, text in self.codes]
        return {"coding": coding, "text": self.codes[0][1]}

    def matches(self, token: Token) -> bool:
        return token.system in (None, LOINC) and any(code == token.code for code, _ in self.codes)


VITALS = {
    Metric.HEART_RATE: Vital((("8867-4", "Heart rate"),), "/min", "heartrate"),
    Metric.SPO2: Vital(
        (
            ("2708-6", "Oxygen saturation in Arterial blood"),
            ("59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry"),
        ),
        "%",
        "oxygensat",
    ),
    Metric.RESP_RATE: Vital((("9279-1", "Respiratory rate"),), "/min", "resprate"),
    Metric.TEMPERATURE: Vital((("8310-5", "Body temperature"),), "Cel", "bodytemp"),
}
GENERIC_SYSTEM = "urn:heartmon:metric"
GENERIC_CODE = {"coding": [{"system": GENERIC_SYSTEM, "code": "generic"}], "text": "Reading"}
PROFILES = tuple(PROFILE_BASE + vital.profile for vital in VITALS.values())
# What each metric's Observations share, built once: the export writes a million of them.
_SHARED = {
    metric: (vital.code, [PROFILE_BASE + "vitalsigns", PROFILE_BASE + vital.profile], vital.unit)
    for metric, vital in VITALS.items()
}


def metrics_for(codes: list[Token]) -> list[str]:
    found = [metric for metric, vital in VITALS.items() if any(map(vital.matches, codes))]
    generic = any(t.system in (None, GENERIC_SYSTEM) and t.code == "generic" for t in codes)
    return [str(metric) for metric in found] + ([str(Metric.GENERIC)] if generic else [])


class EcgOrigins:
    """The recordings ECG-derived readings came from, by device and start time."""

    def __init__(self, recordings: QuerySet[Any]) -> None:
        self.by_device: dict[str, list[tuple[datetime, datetime, uuid.UUID, float]]]
        self.by_device = defaultdict(list)
        fields = ("start_time", "end_time", "id", "sample_rate")
        for device_id, *row in recordings.order_by("device_id", "start_time").values_list(
            "device_id", *fields
        ):
            self.by_device[str(device_id)].append(tuple(row))
        self.starts = {device: [row[0] for row in rows] for device, rows in self.by_device.items()}

    def segment(self, device_id: str, recorded: str) -> str | None:
        rows = self.by_device.get(device_id)
        if not rows:
            return None
        moment = datetime.fromisoformat(recorded)
        at = bisect.bisect_right(self.starts[device_id], moment) - 1
        if at < 0 or moment >= rows[at][1]:
            return None
        start, _, recording_id, rate = rows[at]
        return segment_id(recording_id, segment_of(start, rate, moment))


def observation(row: tuple[Any, ...], origins: EcgOrigins | None) -> Resource:
    """The Observation of one reading, from its FIELDS."""
    pk, device_id, patient_id, metric, value, recorded, received, source = row
    code, profiles, unit = _SHARED.get(metric, (GENERIC_CODE, None, None))
    resource: Resource = {
        "resourceType": "Observation",
        "id": f"{ID_PREFIX}{pk}",
        "meta": {"lastUpdated": instant(received)},
        "status": "final",
        "code": code,
        "effectiveDateTime": instant(recorded),
        "valueQuantity": {"value": value},
        "device": {"reference": f"Device/{device_id}"},
    }
    if unit is not None:
        resource["category"] = VITAL_SIGNS
        resource["valueQuantity"] = {"value": value, "unit": unit, "system": UCUM, "code": unit}
    if patient_id is not None:
        resource["subject"] = {"reference": f"Patient/{patient_id}"}
        if profiles is not None:
            resource["meta"]["profile"] = profiles
    if source == Source.ECG:
        _mark_derived(resource, origins.segment(device_id, recorded) if origins else None)
    return resource


def _mark_derived(resource: Resource, segment: str | None) -> None:
    resource["method"] = DERIVED_FROM_ECG
    if segment is not None:
        resource["derivedFrom"] = [{"reference": f"Observation/{segment}"}]


class Readings:
    name = "readings"
    max_page: int | None = None

    def permitted(self, actor: Actor) -> bool:
        return True  # the Observation type's role is the readings'

    def matching(self, actor: Actor, query: Query) -> QuerySet[Reading]:
        rows = _readings(actor)
        ids = plain_ids(query, ID_PREFIX)
        if ids is not None:
            rows = rows.filter(pk__in=[int(pk) for pk in ids if pk.isdigit() and len(pk) < 19])
        if query.patient is not None:
            rows = rows.filter(patient_id=query.patient)
        if query.codes is not None:
            rows = rows.filter(metric__in=metrics_for(query.codes))
        if query.categories is not None:
            vital = names(query.categories, OBSERVATION_CATEGORY, "vital-signs")
            rows = rows.filter(metric__in=[str(metric) for metric in VITALS] if vital else [])
        for bound in query.date:
            rows = rows.filter(bound.q("recorded_at"))
        for bound in query.last_updated:
            rows = rows.filter(bound.q("received_at"))
        return rows

    def search(self, actor: Actor, query: Query, *, after: Any, count: int) -> list[Entry]:
        rows = self.matching(actor, query).filter(
            keyset("recorded_at", after, descending=query.descending)
        )
        page = list(
            ordered(rows, "recorded_at", descending=query.descending).values_list(*FIELDS)[:count]
        )
        return self._entries(actor, page)

    def _entries(self, actor: Actor, page: list[tuple[Any, ...]]) -> list[Entry]:
        derived = {row[1] for row in page if row[7] == Source.ECG}
        origins = EcgOrigins(recordings_for(actor).filter(device_id__in=derived))
        return [_entry(row, origins) for row in page]

    def read(self, actor: Actor, fhir_id: str) -> Entry | None:
        pk = fhir_id.removeprefix(ID_PREFIX)
        if not fhir_id.startswith(ID_PREFIX) or not pk.isdigit() or len(pk) > 18:
            return None
        page = list(_readings(actor).filter(pk=int(pk)).values_list(*FIELDS))
        return self._entries(actor, page)[0] if page else None

    def export(
        self, actor: Actor, *, patient_ids: QuerySet[Any] | None, since: datetime | None
    ) -> Iterator[tuple[Resource, PatientId]]:
        rows = _readings(actor)
        recordings = recordings_for(actor)
        if patient_ids is not None:
            rows = rows.filter(patient_id__in=patient_ids)
            recordings = recordings.filter(patient_id__in=patient_ids)
        if since is not None:
            rows = rows.filter(received_at__gt=since)
        origins = EcgOrigins(recordings)
        # A few thousand rows at a time: a server-side cursor on PostgreSQL.
        for row in rows.order_by().values_list(*FIELDS).iterator(chunk_size=5000):
            yield observation(row, origins), row[2]


def _entry(row: tuple[Any, ...], origins: EcgOrigins) -> Entry:
    moment = datetime.fromisoformat(row[5])
    return Entry(
        sort=(moment,),
        key=[key_time(moment), row[0]],
        patient_id=row[2],
        make=lambda: observation(row, origins),
    )


def _readings(actor: Actor) -> QuerySet[Reading]:
    return Reading.objects.visible_to(actor).annotate(**COLUMNS)
