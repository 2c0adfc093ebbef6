"""ECG recordings as Observations of 10 seconds each (`ecg-<recording id>-<n>`, n from 0), so a
resource stays small: one component per lead whose valueSampledData carries the stored int16
values, with `factor` and `origin` turning them into millivolts exactly as the recording's gain
and baseline do. Leads are coded with their MDC codes (ISO/IEEE 11073-10101)."""

import itertools
import math
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce

from heartmon.core.actor import Actor
from heartmon.core.roles import may
from heartmon.ecg import storage
from heartmon.ecg.models import Recording
from heartmon.ecg.selectors import recordings_for
from heartmon.fhir.query import Bound, Query, names
from heartmon.fhir.resources.base import (
    UCUM,
    Entry,
    PatientId,
    Resource,
    iso,
    key_time,
    reference,
    uuids,
)

MDC = "urn:oid:2.16.840.1.113883.6.24"
ECG_CODE = "131328"
SEGMENT_SECONDS = 10
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
LEAD_CODES = {
    "I": "131329",
    "II": "131330",
    "V1": "131331",
    "V2": "131332",
    "V3": "131333",
    "V4": "131334",
    "V5": "131335",
    "V6": "131336",
    "III": "131389",
    "aVR": "131390",
    "aVL": "131391",
    "aVF": "131392",
}
_ID = re.compile(r"ecg-([0-9a-f-]{36})-(\d{1,9})")
_RECORDING_FIELDS = (
    "id",
    "patient_id",
    "device_id",
    "start_time",
    "sample_rate",
    "sample_count",
    "chunk_samples",
    "leads",
    "gains",
    "baselines",
    "storage_prefix",
    "processed_at",
    "created_at",
)


def segment_samples(sample_rate: float) -> int:
    return max(1, round(SEGMENT_SECONDS * sample_rate))


def segment_id(recording_id: object, index: int) -> str:
    return f"ecg-{recording_id}-{index}"


def segment_of(start_time: datetime, sample_rate: float, moment: datetime) -> int:
    """The segment holding the sample at `moment`."""
    sample = int((moment - start_time).total_seconds() * sample_rate)
    return sample // segment_samples(sample_rate)


def wants_ecg(query: Query) -> bool:
    """Whether the search's code and category (when given) select ECG segments."""
    return (query.codes is None or names(query.codes, MDC, ECG_CODE)) and (
        query.categories is None or names(query.categories, OBSERVATION_CATEGORY, "procedure")
    )


class EcgSegments:
    name = "ecg"

    @property
    def max_page(self) -> int:
        """A 12-lead segment at 500 Hz is some 300 KB: a page holds a few megabytes of them."""
        return int(settings.FHIR_ECG_SEGMENTS_PER_PAGE)

    def permitted(self, actor: Actor) -> bool:
        return may(actor, "ecg_recordings", "signal")

    def recordings(self, actor: Actor) -> QuerySet[Recording]:
        return (
            recordings_for(actor)
            .filter(sample_count__gt=0)
            .annotate(fhir_last_updated=Coalesce(F("processed_at"), F("created_at")))
            .only(*_RECORDING_FIELDS)
        )

    def search(self, actor: Actor, query: Query, *, after: Any, count: int) -> list[Entry]:
        if not wants_ecg(query):
            return []
        wanted = _wanted_ids(query)
        recordings = self._matching(actor, query, wanted, after)
        found = (
            self._entry(recording, index)
            for recording, index in _segment_order(recordings, descending=query.descending)
            if _beyond(_key(recording, index), after, descending=query.descending)
            and _selected(recording, index, query.date, wanted)
        )
        return list(itertools.islice(found, count))

    def _matching(
        self, actor: Actor, query: Query, wanted: set[tuple[str, int]] | None, after: Any
    ) -> QuerySet[Recording]:
        recordings = self.recordings(actor)
        if wanted is not None:
            recordings = recordings.filter(pk__in=uuids([pk for pk, _ in wanted]))
        if query.patient is not None:
            recordings = recordings.filter(patient_id=query.patient)
        for bound in query.date:
            recordings = recordings.filter(_overlap(bound))
        for bound in query.last_updated:
            recordings = recordings.filter(bound.q("fhir_last_updated"))
        if after is not None:
            edge = "start_time__lte" if query.descending else "start_time__gte"
            recordings = recordings.filter(**{edge: after[0]})
        return recordings

    def _entry(self, recording: Recording, index: int) -> Entry:
        return Entry(
            sort=(segment_start(recording, index),),
            key=_key(recording, index),
            patient_id=recording.patient_id,
            make=lambda: segment_resource(recording, index, _read_segment(recording, index)),
        )

    def read(self, actor: Actor, fhir_id: str) -> Entry | None:
        match = _ID.fullmatch(fhir_id)
        if match is None:
            return None
        recording = self.recordings(actor).filter(pk__in=uuids([match[1]])).first()
        index = int(match[2])
        if recording is None or index >= _segment_count(recording):
            return None
        return self._entry(recording, index)

    def export(
        self, actor: Actor, *, patient_ids: QuerySet[Any] | None, since: datetime | None
    ) -> Iterator[tuple[Resource, PatientId]]:
        recordings = self.recordings(actor)
        if patient_ids is not None:
            recordings = recordings.filter(patient_id__in=patient_ids)
        if since is not None:
            recordings = recordings.filter(Q(fhir_last_updated__gt=since))
        for recording in recordings.order_by("start_time", "pk").iterator(chunk_size=50):
            for index, samples in _segments(recording):
                yield segment_resource(recording, index, samples), recording.patient_id


def segment_start(recording: Recording, index: int) -> datetime:
    offset = index * segment_samples(recording.sample_rate) / recording.sample_rate
    return recording.start_time + timedelta(seconds=offset)


def segment_resource(recording: Recording, index: int, samples: np.ndarray) -> Resource:
    """The Observation of segment `index`, from its (n, leads) int16 samples."""
    start = segment_start(recording, index)
    end = start + timedelta(seconds=len(samples) / recording.sample_rate)
    return {
        "resourceType": "Observation",
        "id": segment_id(recording.pk, index),
        "meta": {"lastUpdated": iso(recording.processed_at or recording.created_at)},
        "status": "final",
        "category": [
            {"coding": [{"system": OBSERVATION_CATEGORY, "code": "procedure"}], "text": "ECG"}
        ],
        "code": {
            "coding": [{"system": MDC, "code": ECG_CODE, "display": "MDC_ECG_ELEC_POTL"}],
            "text": "ECG",
        },
        "subject": reference("Patient", recording.patient_id),
        "device": reference("Device", recording.device_id),
        "effectivePeriod": {"start": iso(start), "end": iso(end)},
        "component": [
            _lead(recording, lead, samples[:, lead]) for lead in range(len(recording.leads))
        ],
    }


def _lead(recording: Recording, lead: int, values: np.ndarray) -> Resource:
    name = recording.leads[lead]
    gain, baseline = float(recording.gains[lead]), float(recording.baselines[lead])
    code = LEAD_CODES.get(name)
    coding = (
        {"system": MDC, "code": code, "display": f"MDC_ECG_ELEC_POTL_{name.upper()}"}
        if code
        else {"system": MDC, "code": ECG_CODE, "display": "MDC_ECG_ELEC_POTL"}
    )
    return {
        "code": {"coding": [coding], "text": name},
        "valueSampledData": {
            "origin": {"value": -baseline / gain, "unit": "mV", "system": UCUM, "code": "mV"},
            "period": 1000 / recording.sample_rate,
            "factor": 1 / gain,
            "dimensions": 1,
            "data": " ".join(map(str, values.tolist())),
        },
    }


def _segment_count(recording: Recording) -> int:
    return math.ceil(recording.sample_count / segment_samples(recording.sample_rate))


def _segment_order(
    recordings: QuerySet[Recording], *, descending: bool
) -> Iterator[tuple[Recording, int]]:
    """Every segment in the searches' order: by recording (start, id), then by index."""
    sign = "-" if descending else ""
    for recording in recordings.order_by(f"{sign}start_time", f"{sign}pk").iterator(50):
        count = _segment_count(recording)
        yield from (
            (recording, index) for index in (range(count)[::-1] if descending else range(count))
        )


def _key(recording: Recording, index: int) -> list[Any]:
    """A segment's position in the searches' order, for `_page`."""
    return [key_time(recording.start_time), str(recording.pk), index]


def _read_segment(recording: Recording, index: int) -> np.ndarray:
    size = segment_samples(recording.sample_rate)
    return storage.read_samples(recording, index * size, (index + 1) * size)


def _segments(recording: Recording) -> Iterator[tuple[int, np.ndarray]]:
    """Every segment's samples in order, each stored chunk read once."""
    size = segment_samples(recording.sample_rate)
    pending = np.empty((0, len(recording.leads)), dtype=np.int16)
    index = 0
    for block in storage.iter_samples(recording, 0, recording.sample_count):
        pending = np.concatenate([pending, block])
        while len(pending) >= size:
            yield index, pending[:size]
            pending, index = pending[size:], index + 1
    if len(pending):
        yield index, pending


def _wanted_ids(query: Query) -> set[tuple[str, int]] | None:
    if query.ids is None:
        return None
    matches = (_ID.fullmatch(value) for value in query.ids)
    return {(match[1], int(match[2])) for match in matches if match}


def _selected(
    recording: Recording, index: int, bounds: list[Bound], wanted: set[tuple[str, int]] | None
) -> bool:
    if wanted is not None and (str(recording.pk), index) not in wanted:
        return False
    start = segment_start(recording, index)
    return all(bound.admits(start) for bound in bounds)


def _beyond(key: list[Any], after: Any, *, descending: bool) -> bool:
    if after is None:
        return True
    mine = (key[0], key[1], key[2])
    theirs = (after[0], after[1], after[2])
    return mine < theirs if descending else mine > theirs


def _overlap(bound: Bound) -> Q:
    """Recordings that may hold a segment starting within the bound."""
    if bound.prefix == "eq":
        return Q(start_time__lt=bound.high, end_time__gt=bound.low)
    edges = {
        "ge": Q(end_time__gt=bound.low),
        "gt": Q(end_time__gt=bound.high),
        "le": Q(start_time__lt=bound.high),
        "lt": Q(start_time__lt=bound.low),
    }
    return edges[bound.prefix]
