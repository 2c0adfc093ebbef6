"""What every served resource type is made of. A `FhirType` names the role it needs, the search
parameters it takes, and its sources: each source maps rows of one heartmon table to resources,
searches them page by page (keyset on the sort key, so deep pages cost what the first does) and
streams them all for a bulk export. Observation has two sources, readings and ECG segments;
alarms become one more type with one source, without touching the search, the bundles or the
export."""

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from django.db.models import Q, QuerySet

from heartmon.core.actor import Actor
from heartmon.core.roles import may
from heartmon.fhir.query import Query

Resource = dict[str, Any]
PatientId = uuid.UUID | str | None  # whose data a resource is (an id or its text), for the audit
UCUM = "http://unitsofmeasure.org"


@dataclass(frozen=True)
class Entry:
    """One resource a search found: built only when it makes it onto the page."""

    sort: tuple[Any, ...]  # orders entries of several sources on one page
    key: Any  # JSON-able: the source's position, for the next page's keyset
    patient_id: PatientId
    make: Callable[[], Resource]


class Source(Protocol):
    name: str  # short, unique in its type: the key of its position in `_page`

    @property
    def max_page(self) -> int | None:
        """At most this many entries a page (large resources); None: as many as asked."""
        ...

    def permitted(self, actor: Actor) -> bool: ...

    def search(self, actor: Actor, query: Query, *, after: Any, count: int) -> list[Entry]:
        """Up to `count` entries after the position `after` (None: from the start)."""
        ...

    def read(self, actor: Actor, fhir_id: str) -> Entry | None: ...

    def export(
        self, actor: Actor, *, patient_ids: QuerySet[Any] | None, since: datetime | None
    ) -> Iterator[tuple[Resource, PatientId]]:
        """Every resource the actor may see (of these patients when given; changed after
        `since` when given), streamed without holding them."""
        ...


@dataclass(frozen=True)
class FhirType:
    name: str
    role: tuple[str, str]  # (resource, action) of the role table that reading it needs
    search_params: frozenset[str]
    sources: tuple[Source, ...]
    patient_data: bool = False  # its reads are audited, naming the patients they returned
    in_patient_compartment: bool = False  # exported by Patient/$export
    profiles: tuple[str, ...] = ()  # listed in the CapabilityStatement

    def permitted(self, actor: Actor) -> bool:
        return may(actor, *self.role)


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat().replace("+00:00", "Z")


def period(start: datetime, end: datetime | None) -> dict[str, str | None]:
    """A FHIR Period: its end only once there is one (an open period has none)."""
    span = {"start": iso(start)}
    if end is not None:
        span["end"] = iso(end)
    return span


def key_time(moment: datetime) -> str:
    """A time in a page position: one fixed width, so positions compare as strings do."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def reference(kind: str, pk: object) -> dict[str, str]:
    return {"reference": f"{kind}/{pk}"}


def keyset(field_name: str, after: Any, *, descending: bool) -> Q:
    """Rows after `after` = [sort value, pk] in (field, pk) order."""
    if after is None:
        return Q()
    value, pk = after
    later = "lt" if descending else "gt"
    return Q(**{f"{field_name}__{later}": value}) | Q(**{field_name: value, f"pk__{later}": pk})


def ordered(rows: QuerySet[Any], field_name: str, *, descending: bool) -> QuerySet[Any]:
    sign = "-" if descending else ""
    return rows.order_by(f"{sign}{field_name}", f"{sign}pk")


def plain_ids(query: Query, prefix: str = "") -> list[str] | None:
    """The `_id` values that can name a row of a source whose ids are `prefix` + pk."""
    if query.ids is None:
        return None
    return [value.removeprefix(prefix) for value in query.ids if value.startswith(prefix)]


def uuids(values: list[str]) -> list[uuid.UUID]:
    parsed = []
    for value in values:
        try:
            parsed.append(uuid.UUID(value))
        except ValueError:
            continue  # an id that names nothing here
    return parsed


class ModelSource:
    """A source whose resources are rows of one model, one each; subclasses say which rows
    (`rows`, annotated with `fhir_last_updated`) and how each reads as FHIR (`resource`)."""

    name = "rows"
    max_page: int | None = None
    sort_field = "pk"  # what the search sorts by (a date where the type has `date`)
    date_field = ""
    patient_field = ""
    id_prefix = ""

    def permitted(self, actor: Actor) -> bool:
        return True

    def rows(self, actor: Actor) -> QuerySet[Any]:
        raise NotImplementedError

    def resource(self, row: Any, actor: Actor) -> Resource:
        raise NotImplementedError

    def patient_of(self, row: Any) -> PatientId:
        return None

    def narrowed(self, rows: QuerySet[Any], query: Query) -> QuerySet[Any]:
        """The rows that match the type's own parameters (code, identifier...)."""
        return rows

    def pks(self, ids: list[str]) -> list[Any]:
        return uuids(ids)

    def search(self, actor: Actor, query: Query, *, after: Any, count: int) -> list[Entry]:
        rows = self.matching(actor, query).filter(
            keyset(self.sort_field, after, descending=query.descending)
        )
        page = ordered(rows, self.sort_field, descending=query.descending)[:count]
        return [self.entry(row, actor) for row in page]

    def matching(self, actor: Actor, query: Query) -> QuerySet[Any]:
        rows = self.rows(actor)
        ids = plain_ids(query, self.id_prefix)
        if ids is not None:
            rows = rows.filter(pk__in=self.pks(ids))
        if query.patient is not None:
            rows = rows.filter(**{self.patient_field: query.patient})
        for bound in query.date:
            rows = rows.filter(bound.q(self.date_field))
        for bound in query.last_updated:
            rows = rows.filter(bound.q("fhir_last_updated"))
        return self.narrowed(rows, query)

    def entry(self, row: Any, actor: Actor) -> Entry:
        value = row.pk if self.sort_field == "pk" else getattr(row, self.sort_field)
        key = [key_time(value) if isinstance(value, datetime) else str(value), str(row.pk)]
        return Entry(
            sort=(value,),
            key=key,
            patient_id=self.patient_of(row),
            make=lambda: self.resource(row, actor),
        )

    def read(self, actor: Actor, fhir_id: str) -> Entry | None:
        if not fhir_id.startswith(self.id_prefix):
            return None
        pks = self.pks([fhir_id.removeprefix(self.id_prefix)])
        row = self.rows(actor).filter(pk__in=pks).first() if pks else None
        return None if row is None else self.entry(row, actor)

    def export(
        self, actor: Actor, *, patient_ids: QuerySet[Any] | None, since: datetime | None
    ) -> Iterator[tuple[Resource, PatientId]]:
        rows = self.rows(actor)
        if patient_ids is not None:
            rows = rows.filter(**{f"{self.patient_field}__in": patient_ids})
        if since is not None:
            rows = rows.filter(fhir_last_updated__gt=since)
        for row in rows.order_by("pk").iterator(chunk_size=2000):
            yield self.resource(row, actor), self.patient_of(row)
