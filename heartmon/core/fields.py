"""Serializer fields every app shares."""

from typing import Any, cast

from rest_framework import serializers

from heartmon.core.actor import actor_of


class VisibleIdField(serializers.PrimaryKeyRelatedField[Any]):
    """An id of an object the requester (a person or a device) may see: another organization's
    id reads as "does not exist", exactly like an unknown one. ModelSerializers make every
    foreign key one of these (see VisibleIdsModelSerializer)."""

    def get_queryset(self) -> Any:
        queryset = cast(Any, super().get_queryset())
        return queryset.visible_to(actor_of(self.context["request"]))


# A model serializer whose writable foreign keys accept only ids the requester may see. (A
# comment: the OpenAPI schema would show a docstring as the description of every such model.)
class VisibleIdsModelSerializer(serializers.ModelSerializer[Any]):
    serializer_related_field = VisibleIdField
