"""/patients/{id}/news2/: the patient's NEWS2 now, with each part, its points and its age; and
the SpO2 scale a doctor marks the patient for."""

from dataclasses import asdict

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.alarms import serializers as s
from heartmon.alarms.news2 import News2
from heartmon.alarms.services.rules import set_news2_scale
from heartmon.alarms.services.scores import news2_of
from heartmon.audit.mixins import AuditedReadMixin
from heartmon.clinic.selectors import patients_for
from heartmon.core.actor import actor_of
from heartmon.core.permissions import RolePermission
from heartmon.core.schema import problems
from heartmon.core.validation import validated


class News2View(AuditedReadMixin):
    permission_classes = [RolePermission]
    role_resource = "alarms"

    @extend_schema(
        summary="The patient's NEWS2 now: total, priority, each part with points and age; "
        "incomplete when a part is missing or older than the organization's maximum age",
        responses={200: OpenApiTypes.OBJECT, **problems(401, 403, 404)},
    )
    def get(self, request: Request, patient_pk: str) -> Response:
        patient = get_object_or_404(patients_for(actor_of(request)), pk=patient_pk)
        result = news2_of([patient.pk], now=timezone.now())[patient.pk]
        self.audit_read("news2.viewed", patient_ids=[patient.pk], target=patient)
        return Response(as_json(result))


class News2ScaleView(AuditedReadMixin):
    permission_classes = [RolePermission]
    role_resource = "alarm_rules"
    role_actions = {"put": "patient_override"}

    @extend_schema(
        summary="Mark the patient for SpO2 scale 2 (or back to 1), with a reason (doctors)",
        request=s.News2ScaleSerializer,
        responses={200: s.News2ScaleSerializer, **problems(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "Hypercapnic respiratory failure",
                request_only=True,
                value={"scale2": True, "reason": "COPD, target 88-92 %"},
            )
        ],
    )
    def put(self, request: Request, patient_pk: str) -> Response:
        patient = get_object_or_404(patients_for(actor_of(request)), pk=patient_pk)
        data = validated(s.News2ScaleSerializer, request)
        marked = set_news2_scale(patient=patient, **data, actor=actor_of(request))
        return Response({"scale2": marked.scale2, "reason": marked.reason})


def as_json(result: News2) -> dict[str, object]:
    return {
        "score": result.total,
        "priority": result.priority,
        "complete": result.complete,
        "missing": result.missing,
        "scale": result.scale,
        "parts": [asdict(part) for part in result.parts],
    }
