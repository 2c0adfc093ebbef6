"""A search of one resource type: each permitted source's next entries after its own position,
merged in sort order, as a searchset Bundle whose `next` link carries every source's position."""

import heapq
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from heartmon.core.actor import Actor
from heartmon.fhir.query import Query, encode_page
from heartmon.fhir.resources.base import Entry, FhirType, PatientId, Resource, Source


@dataclass(frozen=True)
class Found:
    bundle: Resource
    patient_ids: list[PatientId]


def search(
    fhir_type: FhirType,
    *,
    actor: Actor,
    query: Query,
    base_url: str,
    params: Mapping[str, list[str]],
) -> Found:
    """`base_url`: the FHIR base, absolute; `params`: the query string, for the links."""
    page, more = _page(
        [_next(source, actor, query) for source in fhir_type.sources if source.permitted(actor)],
        descending=query.descending,
        count=query.count,
    )
    type_url = f"{base_url}/{fhir_type.name}"
    links = [{"relation": "self", "url": _url(type_url, params)}]
    if more:
        positions = {**query.page, **{name: entry.key for entry, name in page}}
        links.append({"relation": "next", "url": _url(type_url, params, encode_page(positions))})
    bundle: Resource = {
        "resourceType": "Bundle",
        "type": "searchset",
        "link": links,
        "entry": [_bundle_entry(type_url, entry.make()) for entry, _ in page],
    }
    return Found(bundle=bundle, patient_ids=[entry.patient_id for entry, _ in page])


@dataclass(frozen=True)
class _Next:
    """A source's next entries, at most a page (or its own `max_page`), and whether it has more."""

    name: str
    entries: list[Entry]
    cut: bool


def _next(source: Source, actor: Actor, query: Query) -> _Next:
    limit = min(query.count, source.max_page or query.count)
    entries = source.search(actor, query, after=query.page.get(source.name), count=limit + 1)
    return _Next(source.name, entries[:limit], cut=len(entries) > limit)


def _page(
    sources: list[_Next], *, descending: bool, count: int
) -> tuple[list[tuple[Entry, str]], bool]:
    """The page's entries in sort order and whether more follow. A merge, not a sort: each
    source's entries keep their order, so the last of a source on the page is where it goes on.
    Nothing sorts after a source that has more than it gave: that waits for the next page."""
    merged = list(
        heapq.merge(
            *([(entry, source.name) for entry in source.entries] for source in sources),
            key=lambda pair: pair[0].sort,
            reverse=descending,
        )
    )
    edges = [source.entries[-1].sort for source in sources if source.cut]
    if edges:
        edge = max(edges) if descending else min(edges)
        merged = [
            pair
            for pair in merged
            if (pair[0].sort >= edge if descending else pair[0].sort <= edge)
        ]
    return merged[:count], bool(edges) or len(merged) > count


def _bundle_entry(type_url: str, resource: Resource) -> Resource:
    return {
        "fullUrl": f"{type_url}/{resource['id']}",
        "resource": resource,
        "search": {"mode": "match"},
    }


def _url(type_url: str, params: Mapping[str, list[str]], page: str | None = None) -> str:
    pairs = [
        (name, value) for name, values in params.items() if name != "_page" for value in values
    ]
    if page is not None:
        pairs.append(("_page", page))
    return f"{type_url}?{urlencode(pairs)}" if pairs else type_url
