"""/alarm-settings/: the organization's alarm timings; admins, doctors and nurses read them,
admins change them."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from heartmon.alarms import serializers as s
from heartmon.alarms.services.settings import settings_for, update_settings
from heartmon.core.actor import actor_of
from heartmon.core.permissions import RolePermission
from heartmon.core.schema import problems
from heartmon.core.validation import validated


class AlarmSettingsView(APIView):
    permission_classes = [RolePermission]
    role_resource = "alarm_settings"

    @extend_schema(
        summary="The organization's alarm timings",
        responses={200: s.AlarmSettingsSerializer, **problems(401, 403)},
    )
    def get(self, request: Request) -> Response:
        current = settings_for(actor=actor_of(request))
        return Response(s.AlarmSettingsSerializer(current).data)

    @extend_schema(
        summary="Change some of the organization's alarm timings (admins; audited)",
        request=s.AlarmSettingsSerializer,
        responses={200: s.AlarmSettingsSerializer, **problems(400, 401, 403)},
        examples=[
            OpenApiExample(
                "Escalate high alarms after 45 s",
                request_only=True,
                value={"high_escalation_seconds": 45},
            )
        ],
    )
    def patch(self, request: Request) -> Response:
        changes = validated(s.AlarmSettingsSerializer, request)
        current = update_settings(changes=changes, actor=actor_of(request))
        return Response(s.AlarmSettingsSerializer(current).data)
