"""/fhir/R4/: the CapabilityStatement, read and search of each resource type, and Bulk Data
export. People authenticate as on the REST API; every answer is FHIR JSON, every error an
OperationOutcome. These views are FHIR's, so they stay out of the OpenAPI schema."""

from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from heartmon.audit.services import record_read
from heartmon.core.actor import Actor, actor_of
from heartmon.fhir.capability import capability_statement
from heartmon.fhir.outcomes import FHIR_JSON, FhirError, exception_handler
from heartmon.fhir.query import parse_query
from heartmon.fhir.resources import TYPES
from heartmon.fhir.resources.base import FhirType
from heartmon.fhir.search import search

READ = "fhir.read"
SEARCHED = "fhir.searched"


class FhirJsonRenderer(BaseRenderer):
    media_type = FHIR_JSON
    format = "json"
    charset = None

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        return b"" if data is None else orjson.dumps(data)


class FirstRenderer(BaseContentNegotiation):
    """FHIR clients send Accept: application/fhir+json, application/json+fhir, */* or _format;
    every answer here is FHIR JSON, so no Accept header earns a 406."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser | None:
        return next(iter(parsers), None)

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class IsPerson(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return actor_of(request).is_person


class FhirView(APIView):
    renderer_classes = [FhirJsonRenderer]
    content_negotiation_class = FirstRenderer
    permission_classes = [IsPerson]
    schema = None

    def get_exception_handler(self) -> Any:
        return exception_handler


class MetadataView(FhirView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        return Response(capability_statement())


class SearchView(FhirView):
    def get(self, request: Request, resource_type: str) -> Response:
        actor = actor_of(request)
        fhir_type = readable_type(actor, resource_type)
        params = dict(request.query_params.lists())
        query = parse_query(params, supported=fhir_type.search_params)
        found = search(
            fhir_type, actor=actor, query=query, base_url=base_url(request), params=params
        )
        if fhir_type.patient_data:
            audit(request, SEARCHED, fhir_type, found.patient_ids)
        return Response(found.bundle)


class ReadView(FhirView):
    def get(self, request: Request, resource_type: str, fhir_id: str) -> Response:
        actor = actor_of(request)
        fhir_type = readable_type(actor, resource_type)
        for source in fhir_type.sources:
            entry = source.read(actor, fhir_id) if source.permitted(actor) else None
            if entry is not None:
                resource = entry.make()
                if fhir_type.patient_data:
                    audit(request, READ, fhir_type, [entry.patient_id], id=fhir_id)
                return Response(resource)
        raise FhirError(404, "not-found", f"No {resource_type}/{fhir_id[:64]} here.")


class UnknownView(FhirView):
    permission_classes = [AllowAny]

    def get(self, request: Request, path: str) -> Response:
        raise FhirError(404, "not-found", "No FHIR interaction at this address.")


def readable_type(actor: Actor, name: str) -> FhirType:
    fhir_type = TYPES.get(name)
    if fhir_type is None:
        raise FhirError(404, "not-supported", f"This server serves no {name[:64]} resources.")
    if not fhir_type.permitted(actor):
        raise FhirError(403, "forbidden", f"Your role does not read {name}.")
    return fhir_type


def base_url(request: Request) -> str:
    return request.build_absolute_uri("/fhir/R4")


def audit(
    request: Request, action: str, fhir_type: FhirType, patient_ids: list[Any], **details: Any
) -> None:
    record_read(
        action,
        actor=actor_of(request),
        patient_ids=patient_ids,
        query=request.GET.urlencode(),
        details={"type": fhir_type.name, "resources": len(patient_ids), **details},
    )
