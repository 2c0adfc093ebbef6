"""Places: every role reads the organization's tree; admins shape it."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.clinic import serializers as s
from heartmon.clinic.filters import PlaceFilter
from heartmon.clinic.models import Place
from heartmon.clinic.selectors import places_for
from heartmon.clinic.services import places
from heartmon.core.actor import actor_of
from heartmon.core.permissions import RolePermission
from heartmon.core.schema import problems


@extend_schema_view(
    list=extend_schema(
        summary="Your organization's hospitals, clinics, wards and beds",
        responses={200: s.PlaceSerializer(many=True), **problems(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="One place", responses={200: s.PlaceSerializer, **problems(401, 403, 404)}
    ),
    partial_update=extend_schema(
        summary="Rename a place or move it under another (its kind is fixed)",
        request=s.PlaceChangeSerializer,
        responses={200: s.PlaceSerializer, **problems(400, 401, 403, 404, 409)},
        examples=[OpenApiExample("Rename", request_only=True, value={"name": "Bed 12A"})],
    ),
    destroy=extend_schema(
        summary="Delete a place nothing refers to (no sub-places, devices or admissions)",
        responses={204: None, **problems(401, 403, 404, 409)},
    ),
)
class PlaceViewSet(viewsets.ModelViewSet[Place]):
    serializer_class = s.PlaceSerializer
    permission_classes = [RolePermission]
    role_resource = "places"
    filterset_class = PlaceFilter
    search_fields = ["name"]
    ordering_fields = ["name", "kind", "created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Place]:
        return places_for(actor_of(self.request))

    def get_serializer_class(self) -> Any:
        return s.PlaceChangeSerializer if self.action == "partial_update" else s.PlaceSerializer

    @extend_schema(
        summary="Add a place: a hospital or clinic at the top, wards in them, beds in wards",
        responses={201: s.PlaceSerializer, **problems(400, 401, 403, 409)},
        examples=[
            OpenApiExample(
                "A bed in a ward",
                request_only=True,
                value={
                    "kind": "bed",
                    "name": "Bed 12",
                    "parent": "3f2b6c1e-8d4a-4e2b-9c1d-5a6b7c8d9e0f",
                },
            )
        ],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        place = places.create_place(**serializer.validated_data, actor=actor_of(request))
        return Response(self._present(place), status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        place = self.get_object()
        serializer = self.get_serializer(place, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        places.update_place(place=place, changes=serializer.validated_data, actor=actor_of(request))
        return Response(self._present(place))

    def perform_destroy(self, instance: Place) -> None:
        places.delete_place(place=instance, actor=actor_of(self.request))

    def _present(self, place: Place) -> Any:
        return s.PlaceSerializer(self.get_queryset().get(pk=place.pk)).data
