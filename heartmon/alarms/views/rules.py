"""Alarm rules: /alarm-rules/ holds the organization's defaults and places' overrides (admins
write them; every level is listed), /patients/{id}/alarm-rules/ a patient's overrides (doctors
write them, with a reason), and .../effective/ the rule that applies to the patient now."""

from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from heartmon.alarms import selectors
from heartmon.alarms import serializers as s
from heartmon.alarms.filters import AlarmRuleFilter
from heartmon.alarms.models import AlarmRule
from heartmon.alarms.services import replays, rules
from heartmon.audit.mixins import AuditedReadMixin
from heartmon.clinic.models import Patient
from heartmon.clinic.selectors import patients_for
from heartmon.core.actor import actor_of
from heartmon.core.errors import InvalidInput
from heartmon.core.permissions import RolePermission
from heartmon.core.schema import problems

PLACE_RULE = OpenApiExample(
    "A ward's SpO2 override",
    request_only=True,
    value={
        "metric": "spo2",
        "place": "3f2b8e4c-1d7a-4e43-9a51-0c6d2f1e9b77",
        "low": 88,
        "priority": "medium",
        "delay_seconds": 15,
        "clear_margin": 2,
        "clear_delay_seconds": 10,
        "extreme_low": 84,
        "extreme_delay_seconds": 5,
    },
)


class RuleWritesMixin(
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[AlarmRule],
):
    def perform_create(self, serializer: Any) -> None:
        data = {**serializer.validated_data, **self.fixed_fields()}
        serializer.instance = rules.create_rule(data=data, actor=actor_of(self.request))

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = rules.update_rule(
            rule=serializer.instance,
            changes=serializer.validated_data,
            actor=actor_of(self.request),
        )

    def perform_destroy(self, instance: AlarmRule) -> None:
        rules.delete_rule(rule=instance, actor=actor_of(self.request))

    def fixed_fields(self) -> dict[str, Any]:
        return {}


@extend_schema_view(
    list=extend_schema(summary="Alarm rules of every level (filter by level, metric, place)"),
    retrieve=extend_schema(summary="One alarm rule"),
    create=extend_schema(
        summary="Override the defaults for a place (admins)",
        responses={201: s.AlarmRuleSerializer, **problems(400, 401, 403, 409)},
        examples=[PLACE_RULE],
    ),
    partial_update=extend_schema(
        summary="Change an organization default or a place override (admins; audited)",
        responses={200: s.AlarmRuleSerializer, **problems(400, 401, 403, 404)},
    ),
    destroy=extend_schema(
        summary="Remove a place override (defaults stay)",
        responses={204: None, **problems(401, 403, 404, 409)},
    ),
)
class AlarmRuleViewSet(RuleWritesMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.AlarmRuleSerializer
    permission_classes = [RolePermission]
    role_resource = "alarm_rules"
    filterset_class = AlarmRuleFilter
    role_actions = {"replay": "read"}
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[AlarmRule]:
        found = selectors.rules_for(actor_of(self.request))
        if self.request.method == "GET":
            return found
        return found.filter(patient__isnull=True)  # patients' overrides change under the patient

    @extend_schema(
        summary="What-if: the alarms rules would have raised over stored readings",
        description="Runs the live engine's state machine over a patient's (or a place's "
        "patients') readings in a window of at most 31 days, with their effective rules or the "
        "`rules` given, and answers the alarms (times, durations, priorities) and counts per "
        "metric. Nothing is written (the read is audited).",
        request=s.ReplaySerializer,
        responses={200: OpenApiTypes.OBJECT, **problems(400, 401, 403)},
        examples=[
            OpenApiExample(
                "A ward's day with a lower SpO2 limit",
                request_only=True,
                value={
                    "place": "3f2b8e4c-1d7a-4e43-9a51-0c6d2f1e9b77",
                    "start": "2026-11-20",
                    "end": "2026-11-20",
                    "rules": [
                        {
                            "metric": "spo2",
                            "low": 88,
                            "priority": "medium",
                            "delay_seconds": 15,
                            "clear_margin": 2,
                        }
                    ],
                },
            )
        ],
    )
    @action(detail=False, methods=["post"])
    def replay(self, request: Request) -> Response:
        serializer = s.ReplaySerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        answer = replays.replay_alarms(
            patient=data.get("patient"),
            place=data.get("place"),
            start=data["start"],
            end=data["end"],
            proposed=serializer.proposed(),
            actor=actor_of(request),
        )
        return Response(answer)

    def perform_create(self, serializer: Any) -> None:
        if serializer.validated_data.get("patient") is not None:
            raise InvalidInput(
                "A patient's overrides are made under the patient: "
                "/api/v1/patients/{id}/alarm-rules/.",
                field="patient",
            )
        super().perform_create(serializer)


@extend_schema_view(
    list=extend_schema(summary="A patient's own alarm rules (overrides)"),
    create=extend_schema(
        summary="Override a rule for this patient, with a reason (doctors; audited)",
        responses={201: s.AlarmRuleSerializer, **problems(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "Chronic bradycardia",
                request_only=True,
                value={
                    "metric": "heart_rate",
                    "low": 40,
                    "high": 120,
                    "extreme_low": 30,
                    "priority": "medium",
                    "delay_seconds": 6,
                    "reason": "Athlete, resting rate 42",
                },
            )
        ],
    ),
    partial_update=extend_schema(summary="Change a patient's override (doctors; audited)"),
    destroy=extend_schema(summary="Remove a patient's override (doctors; audited)"),
)
class PatientAlarmRuleViewSet(RuleWritesMixin, mixins.ListModelMixin):
    serializer_class = s.AlarmRuleSerializer
    permission_classes = [RolePermission]
    role_resource = "alarm_rules"
    role_actions = {
        "create": "patient_override",
        "partial_update": "patient_override",
        "destroy": "patient_override",
    }
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    @cached_property
    def patient(self) -> Patient:
        return get_object_or_404(patients_for(actor_of(self.request)), pk=self.kwargs["patient_pk"])

    def get_queryset(self) -> QuerySet[AlarmRule]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no patient
            return AlarmRule.objects.none()
        return selectors.rules_for(actor_of(self.request)).filter(patient=self.patient)

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        data = kwargs.get("data")
        if self.action == "create" and isinstance(data, dict):
            kwargs["data"] = {**data, "patient": str(self.patient.pk)}
        return super().get_serializer(*args, **kwargs)


class EffectiveRulesView(AuditedReadMixin, APIView):
    permission_classes = [RolePermission]
    role_resource = "alarm_rules"

    @extend_schema(
        summary="The rules that apply to a patient now, one per metric, with their level",
        responses={200: s.AlarmRuleSerializer(many=True), **problems(401, 403, 404)},
    )
    def get(self, request: Request, patient_pk: str) -> Response:
        patient = get_object_or_404(patients_for(actor_of(request)), pk=patient_pk)
        where = selectors.whereabouts([patient.pk])
        effective = selectors.effective_rules(where).get(patient.pk, {})
        self.audit_read("alarm_rule.effective_viewed", patient_ids=[patient.pk], target=patient)
        data = s.AlarmRuleSerializer(list(effective.values()), many=True).data
        return Response(data, status=status.HTTP_200_OK)
