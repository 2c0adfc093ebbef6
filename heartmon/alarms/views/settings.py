"""/alarm-settings/: the organization's alarm timings; admins, doctors and nurses read them,
admins change them."""

from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from heartmon.alarms.models import AlarmSettings
from heartmon.alarms.services.settings import settings_for, update_settings
from heartmon.core.actor import actor_of
from heartmon.core.permissions import RolePermission
from heartmon.core.schema import problems
from heartmon.core.validation import validated


class AlarmSettingsSerializer(serializers.Serializer[AlarmSettings]):
    """Every field optional in a PATCH; at least one, and no other."""

    high_escalation_seconds = serializers.IntegerField(
        min_value=10,
        max_value=3600,
        required=False,
        help_text="A high alarm unacknowledged "
        "this long: the care team is reminded, the attending doctor and the admins told.",
    )
    medium_escalation_seconds = serializers.IntegerField(
        min_value=10, max_value=3600, required=False, help_text="The same for a medium alarm."
    )
    no_data_seconds = serializers.IntegerField(
        min_value=5,
        max_value=3600,
        required=False,
        help_text="An admitted patient's device silent this long: a technical alarm.",
    )
    news2_max_age_minutes = serializers.IntegerField(
        min_value=5,
        max_value=10080,
        required=False,
        help_text="A NEWS2 part older than this is missing (the score incomplete).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError({unknown[0]: "There is no such setting."})
        if not attrs:
            raise serializers.ValidationError("Send at least one setting to change.")
        return attrs


class AlarmSettingsView(APIView):
    permission_classes = [RolePermission]
    role_resource = "alarm_settings"

    @extend_schema(
        summary="The organization's alarm timings",
        responses={200: AlarmSettingsSerializer, **problems(401, 403)},
    )
    def get(self, request: Request) -> Response:
        current = settings_for(actor=actor_of(request))
        return Response(AlarmSettingsSerializer(current).data)

    @extend_schema(
        summary="Change some of the organization's alarm timings (admins; audited)",
        request=AlarmSettingsSerializer,
        responses={200: AlarmSettingsSerializer, **problems(400, 401, 403)},
        examples=[
            OpenApiExample(
                "Escalate high alarms after 45 s",
                request_only=True,
                value={"high_escalation_seconds": 45},
            )
        ],
    )
    def patch(self, request: Request) -> Response:
        changes = validated(AlarmSettingsSerializer, request)
        current = update_settings(changes=changes, actor=actor_of(request))
        return Response(AlarmSettingsSerializer(current).data)
