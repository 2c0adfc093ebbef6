from typing import Any

from rest_framework.request import Request
from rest_framework.serializers import BaseSerializer, Serializer

from heartmon.core.query import refuse_unknown_parameters


def validated(serializer_class: type[BaseSerializer[Any]], request: Request) -> dict[str, Any]:
    """The request body validated by `serializer_class`; invalid input raises a 400 problem."""
    serializer = serializer_class(data=request.data, context={"request": request})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def validated_query(serializer_class: type[Serializer[Any]], request: Request) -> dict[str, Any]:
    """The query string validated by `serializer_class`; invalid input, and parameters it has no
    field for, raise a 400 problem."""
    serializer = serializer_class(data=request.query_params, context={"request": request})
    refuse_unknown_parameters(request, serializer.fields)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
