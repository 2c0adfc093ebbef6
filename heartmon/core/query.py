"""Query strings take only the parameters an endpoint documents: an unknown one (`?ward=` where no
ward filter exists) answers 400 naming it and the ones allowed, instead of being ignored and
answering unfiltered data.

Lists check from their paginator (every list pages); endpoints whose query a serializer reads
check against its fields (`core.validation.validated_query`). What a list allows is what its
filter backends and paginator document in the schema, plus the view's `query_parameters` for the
action (parameters it reads by hand), so the schema and the server agree."""

from collections.abc import Iterable
from typing import Any

from rest_framework.request import Request

from heartmon.core.errors import InvalidInput

# DRF's ?format= chooses a renderer on any endpoint.
EVERYWHERE = frozenset({"format"})


def refuse_unknown_parameters(request: Request, allowed: Iterable[str]) -> None:
    known = EVERYWHERE | set(allowed)
    unknown = sorted(set(request.query_params) - known)
    if not unknown:
        return
    names = ", ".join(repr(name[:40]) for name in unknown[:5])
    raise InvalidInput(
        f"Unknown query parameter {names}: this endpoint takes {', '.join(sorted(known))}.",
        code="unknown_parameter",
        errors={name[:40]: ["Unknown parameter."] for name in unknown[:5]},
        extensions={"allowed": sorted(known)},
    )


def list_parameters(view: Any, paginator: Any) -> set[str]:
    """The query parameters a list view documents: its filter backends', its paginator's and those
    it reads itself (`query_parameters`: action -> names)."""
    names = {parameter["name"] for parameter in paginator.get_schema_operation_parameters(view)}
    for backend_class in getattr(view, "filter_backends", []):
        names |= _backend_parameters(backend_class(), view)
    own: dict[str, Iterable[str]] = getattr(view, "query_parameters", {})
    return names | set(own.get(getattr(view, "action", None) or "", ()))


def _backend_parameters(backend: Any, view: Any) -> set[str]:
    if hasattr(backend, "get_filterset_class"):  # django-filter documents no parameters itself
        filterset_class = backend.get_filterset_class(view, view.get_queryset())
        return set(filterset_class.base_filters) if filterset_class else set()
    return {parameter["name"] for parameter in backend.get_schema_operation_parameters(view)}
