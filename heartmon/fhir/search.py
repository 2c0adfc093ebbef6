"""A search of one resource type: each permitted source's next entries after its own position,
merged in sort order, as a searchset Bundle whose `next` link carries every source's position."""

import heapq
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from heartmon.core.actor import Actor
from heartmon.fhir.query import Query, encode_page
from heartmon.fhir.resources.base import Entry, FhirType, Resource, Source


@dataclass(frozen=True)
class Found:
    bundle: Resource
    patient_ids: list[uuid.UUID | None]


def search(
    fhir_type: FhirType,
    *,
    actor: Actor,
    query: Query,
    base_url: str,
    params: Mapping[str, list[str]],
) -> Found:
    """`base_url`: the FHIR base, absolute; `params`: the query string, for the links."""
    found = [
        [(entry, source.name) for entry in _next(source, actor, query)]
        for source in fhir_type.sources
        if source.permitted(actor)
    ]
    # A merge, not a sort: each source's entries keep their order, so the position of the last
    # one on the page is where that source goes on.
    merged = list(heapq.merge(*found, key=lambda pair: pair[0].sort, reverse=query.descending))
    page = merged[: query.count]
    type_url = f"{base_url}/{fhir_type.name}"
    links = [{"relation": "self", "url": _url(type_url, params)}]
    if len(merged) > query.count:
        positions = {**query.page, **{name: entry.key for entry, name in page}}
        links.append({"relation": "next", "url": _url(type_url, params, encode_page(positions))})
    bundle: Resource = {
        "resourceType": "Bundle",
        "type": "searchset",
        "link": links,
        "entry": [_bundle_entry(type_url, entry.make()) for entry, _ in page],
    }
    return Found(bundle=bundle, patient_ids=[entry.patient_id for entry, _ in page])


def _next(source: Source, actor: Actor, query: Query) -> list[Entry]:
    """One more than a page, to know whether there is a next page."""
    return source.search(actor, query, after=query.page.get(source.name), count=query.count + 1)


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
