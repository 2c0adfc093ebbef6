from typing import Any

from django.db.models import QuerySet
from rest_framework import exceptions, pagination
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.core.errors import InvalidInput
from heartmon.core.query import list_parameters, refuse_unknown_parameters

ORDERINGS = {"recorded_at": ("recorded_at", "id"), "-recorded_at": ("-recorded_at", "-id")}
PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


def ordering_of(request: Request) -> tuple[str, str]:
    """Time order from `?ordering=`: oldest first (recorded_at, the default) or -recorded_at."""
    name = request.query_params.get("ordering", "recorded_at")
    if name not in ORDERINGS:
        raise InvalidInput(f"Order by {' or '.join(ORDERINGS)}.", field="ordering")
    return ORDERINGS[name]


class OffsetPages(pagination.LimitOffsetPagination):
    default_limit = PAGE_SIZE
    max_limit = MAX_PAGE_SIZE


class ReadingPagination(pagination.CursorPagination):
    """Cursor pages in time order, stable while readings keep arriving; `limit` sets the page
    size. With `offset`, limit/offset pages instead (with a count), as the reference systems'
    clients page."""

    page_size = PAGE_SIZE
    max_page_size = MAX_PAGE_SIZE
    page_size_query_param = "limit"
    ordering = ORDERINGS["recorded_at"]
    offset_pages: OffsetPages | None = None

    def decode_cursor(self, request: Request) -> Any:
        """An invalid cursor is bad input (400), not a missing resource."""
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound as exc:
            raise InvalidInput(
                "Invalid cursor: use the next or previous link of a page.", field="cursor"
            ) from exc

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> tuple[str, ...]:
        return ordering_of(request)

    def paginate_queryset(
        self, queryset: Any, request: Request, view: Any = None
    ) -> list[Any] | None:
        refuse_unknown_parameters(request, list_parameters(view, self))
        if "offset" not in request.query_params:
            return super().paginate_queryset(queryset, request, view)
        self.offset_pages = OffsetPages()
        ordered = queryset.order_by(*ordering_of(request))
        return self.offset_pages.paginate_queryset(ordered, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        if self.offset_pages is not None:
            return self.offset_pages.get_paginated_response(data)
        return super().get_paginated_response(data)

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        paged = super().get_paginated_response_schema(schema)
        paged["properties"]["count"] = {
            "type": "integer",
            "description": "With offset only: how many readings match.",
        }
        return paged

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": "offset",
                "required": False,
                "in": "query",
                "description": "Page by limit/offset instead of the cursor.",
                "schema": {"type": "integer", "minimum": 0},
            },
            {
                "name": "ordering",
                "required": False,
                "in": "query",
                "description": "recorded_at (oldest first, the default) or -recorded_at.",
                "schema": {"type": "string", "enum": list(ORDERINGS)},
            },
        ]
