"""Webhooks, as an organization's admins manage them, and each one's delivery log."""

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.core.actor import actor_of
from heartmon.core.pagination import LimitOffsetPagination
from heartmon.core.permissions import RolePermission
from heartmon.core.schema import problems
from heartmon.outbox import services
from heartmon.outbox.models import Message, Webhook
from heartmon.outbox.serializers import DeliverySerializer, WebhookSerializer


@extend_schema_view(
    list=extend_schema(
        summary="Your organization's webhooks",
        responses={200: WebhookSerializer(many=True), **problems(401, 403)},
    ),
    retrieve=extend_schema(
        summary="One webhook", responses={200: WebhookSerializer, **problems(401, 403, 404)}
    ),
    create=extend_schema(
        summary="Add a webhook: events are POSTed to it as signed JSON",
        responses={201: WebhookSerializer, **problems(400, 401, 403, 409)},
        examples=[
            OpenApiExample(
                "A receiver",
                request_only=True,
                value={"url": "https://alerts.stmary.example/heartmon", "secret": "s" * 32},
            )
        ],
    ),
    partial_update=extend_schema(
        summary="Change a webhook's URL, secret, description or active state",
        responses={200: WebhookSerializer, **problems(400, 401, 403, 404)},
    ),
    destroy=extend_schema(
        summary="Delete a webhook and its delivery log",
        responses={204: None, **problems(401, 403, 404)},
    ),
)
class WebhookViewSet(viewsets.ModelViewSet[Webhook]):
    serializer_class = WebhookSerializer
    permission_classes = [RolePermission]
    role_resource = "webhooks"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Webhook]:
        return Webhook.objects.visible_to(actor_of(self.request))

    def perform_create(self, serializer: WebhookSerializer) -> None:  # type: ignore[override]
        serializer.instance = services.create_webhook(
            fields=serializer.validated_data, actor=actor_of(self.request)
        )

    def perform_update(self, serializer: WebhookSerializer) -> None:  # type: ignore[override]
        serializer.instance = services.update_webhook(
            webhook=cast(Webhook, serializer.instance),
            changes=serializer.validated_data,
            actor=actor_of(self.request),
        )

    def perform_destroy(self, instance: Webhook) -> None:
        services.delete_webhook(webhook=instance, actor=actor_of(self.request))

    @extend_schema(
        summary="A webhook's deliveries, newest first, each with every attempt",
        responses={200: DeliverySerializer(many=True), **problems(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], serializer_class=DeliverySerializer)
    def deliveries(self, request: Request, pk: Any = None) -> Response:
        webhook = self.get_object()
        messages = Message.objects.filter(webhook=webhook).prefetch_related("attempts")
        paginator = cast(LimitOffsetPagination, self.paginator)
        page = paginator.paginate_queryset(messages.order_by("-created_at", "id"), request, self)
        return paginator.get_paginated_response(DeliverySerializer(page, many=True).data)
