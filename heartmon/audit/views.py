from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import viewsets

from heartmon.audit.models import AuditEvent
from heartmon.audit.serializers import AuditEventSerializer
from heartmon.core.actor import actor_of
from heartmon.core.permissions import RolePermission
from heartmon.core.schema import problems
from heartmon.core.time import MomentFilter, WindowForm


class AuditEventFilter(filters.FilterSet):
    since = MomentFilter(field_name="at", lookup_expr="gte", edge="start")
    until = MomentFilter(field_name="at", lookup_expr="lt", edge="end")
    action = filters.CharFilter(lookup_expr="exact")
    action_prefix = filters.CharFilter(field_name="action", lookup_expr="startswith")
    # A plain id, not a choice among all users: "no such choice" would tell whether an id exists.
    actor = filters.UUIDFilter(field_name="actor_id")

    class Meta:
        model = AuditEvent
        fields = ["object_type", "object_id", "patient_id", "request_id"]
        form = WindowForm


@extend_schema_view(
    list=extend_schema(
        summary="Your organization's audit trail (newest first)",
        responses={200: AuditEventSerializer(many=True), **problems(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="One audit event", responses={200: AuditEventSerializer, **problems(401, 403, 404)}
    ),
)
class AuditEventViewSet(viewsets.ReadOnlyModelViewSet[AuditEvent]):
    """Read-only by design: no API can change or delete an audit event."""

    serializer_class = AuditEventSerializer
    permission_classes = [RolePermission]
    role_resource = "audit_events"
    filterset_class = AuditEventFilter
    ordering_fields = ["at"]

    def get_queryset(self) -> QuerySet[AuditEvent]:
        return AuditEvent.objects.visible_to(actor_of(self.request)).select_related("actor")
