"""People and organizations, as admins manage them."""

from typing import Any, cast

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.accounts import serializers as s
from heartmon.accounts.models import Organization, User
from heartmon.accounts.services import signup, users
from heartmon.core.actor import actor_of
from heartmon.core.permissions import RolePermission
from heartmon.core.schema import problems

INVITED = "An e-mail is on its way to this address."


class UserFilter(filters.FilterSet):
    class Meta:
        model = User
        fields = ["role", "is_active"]


@extend_schema_view(
    list=extend_schema(
        summary="The users of your organization",
        responses={200: s.UserSerializer(many=True), **problems(401, 403)},
    ),
    retrieve=extend_schema(
        summary="One user", responses={200: s.UserSerializer, **problems(401, 403, 404)}
    ),
    partial_update=extend_schema(
        summary="Change a user's name, phone, role or active state",
        responses={200: s.UserSerializer, **problems(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample("Make a nurse a doctor", request_only=True, value={"role": "doctor"})
        ],
    ),
    destroy=extend_schema(
        summary="Delete a user who never signed in (409 for one with history: deactivate them)",
        responses={204: None, **problems(401, 403, 404, 409)},
    ),
)
class UserViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[User],
):
    serializer_class = s.UserSerializer
    permission_classes = [RolePermission]
    role_resource = "users"
    filterset_class = UserFilter
    search_fields = ["email", "first_name", "last_name"]
    ordering_fields = ["email", "last_name", "date_joined", "role"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[User]:
        return User.objects.visible_to(actor_of(self.request)).select_related("organization")

    @extend_schema(
        summary="Invite a user: they get an e-mailed link to choose their password",
        description=(
            "The answer is the same for every address: one that has an account in another "
            "organization is not invited, and its owner is told by e-mail instead. An address "
            "already in your organization is a 409."
        ),
        request=s.InvitationSerializer,
        responses={202: s.DetailSerializer, **problems(400, 401, 403, 409)},
        examples=[
            OpenApiExample(
                "Invite a nurse",
                request_only=True,
                value={
                    "email": "bob@stmary.example",
                    "first_name": "Bob",
                    "last_name": "Ng",
                    "role": "nurse",
                },
            )
        ],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = s.InvitationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        signup.invite_user(actor=actor_of(request), **serializer.validated_data)
        return Response({"detail": INVITED}, status=status.HTTP_202_ACCEPTED)

    def perform_update(self, serializer: s.UserSerializer) -> None:  # type: ignore[override]
        users.update_user(
            user=cast(User, serializer.instance),
            changes=serializer.validated_data,
            actor=actor_of(self.request),
        )

    def perform_destroy(self, instance: User) -> None:
        users.delete_user(user=instance, actor=actor_of(self.request))

    @extend_schema(
        summary="Deactivate a user: signed out, kept (PATCH is_active=true restores)",
        request=None,
        responses={200: s.UserSerializer, **problems(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str | None = None) -> Response:
        user = users.update_user(
            user=self.get_object(), changes={"is_active": False}, actor=actor_of(request)
        )
        return Response(s.UserSerializer(user).data)

    @extend_schema(
        summary="Send the invitation e-mail again (a new link)",
        request=None,
        responses={202: s.DetailSerializer, **problems(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"], url_path="resend-invitation")
    def resend_invitation(self, request: Request, pk: str | None = None) -> Response:
        users.resend_invitation(user=self.get_object(), actor=actor_of(request))
        return Response({"detail": "Invitation sent."}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Unlock a user locked out by failed sign-ins (from every address; audited)",
        request=None,
        responses={204: None, **problems(401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def unlock(self, request: Request, pk: str | None = None) -> Response:
        users.unlock_user(user=self.get_object(), actor=actor_of(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary="Your organization (superusers: every organization)"),
    retrieve=extend_schema(
        summary="One organization", responses={200: s.OrganizationSerializer, **problems(401, 404)}
    ),
    partial_update=extend_schema(
        summary="Rename your organization",
        responses={200: s.OrganizationSerializer, **problems(400, 401, 403, 404)},
    ),
)
class OrganizationViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet[Organization],
):
    serializer_class = s.OrganizationSerializer
    permission_classes = [RolePermission]
    role_resource = "organizations"
    search_fields = ["name"]
    ordering_fields = ["name", "created_at"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Organization]:
        return Organization.objects.visible_to(actor_of(self.request))

    def perform_update(self, serializer: s.OrganizationSerializer) -> None:  # type: ignore[override]
        organization = cast(Organization, serializer.instance)
        users.rename_organization(
            organization=organization,
            name=serializer.validated_data.get("name", organization.name),
            actor=actor_of(self.request),
        )
