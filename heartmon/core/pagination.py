from typing import Any

from rest_framework import pagination
from rest_framework.request import Request

from heartmon.core.query import list_parameters, refuse_unknown_parameters


class LimitOffsetPagination(pagination.LimitOffsetPagination):
    """Pages of every list; a list refuses query parameters it does not document."""

    default_limit = 25
    max_limit = 500

    def paginate_queryset(
        self, queryset: Any, request: Request, view: Any = None
    ) -> list[Any] | None:
        refuse_unknown_parameters(request, list_parameters(view, self))
        return super().paginate_queryset(queryset, request, view)
