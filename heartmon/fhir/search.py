"""A search of one resource type: each permitted source's next entries after its own position,
merged in sort order, as a searchset Bundle whose `next` link carries every source's position."""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from heartmon.core.actor import Actor
from heartmon.fhir.query import Query, encode_page
from heartmon.fhir.resources.base import Entry, FhirType, Resource


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
    merged: list[tuple[Entry, str]] = []
    for source in fhir_type.sources:
        if source.permitted(actor):
            after = query.page.get(source.name)
            found = source.search(actor, query, after=after, count=query.count + 1)
            merged += [(entry, source.name) for entry in found]
    merged.sort(key=lambda pair: pair[0].sort, reverse=query.descending)
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
