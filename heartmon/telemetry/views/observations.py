"""/patients/{id}/observations/: vital signs taken by hand, entered by doctors and nurses."""

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from heartmon.clinic.models import Patient
from heartmon.core.actor import actor_of
from heartmon.core.permissions import RolePermission
from heartmon.core.schema import problems
from heartmon.core.validation import validated
from heartmon.telemetry import serializers as s
from heartmon.telemetry import services


class ObservationsView(APIView):
    permission_classes = [RolePermission]
    role_resource = "readings"
    role_actions = {"post": "observe"}

    @extend_schema(
        summary="Enter a patient's vital signs taken by hand (manual readings, no device)",
        description="All stored or none. An observation already stored for the patient, metric "
        "and time counts as a duplicate. Evaluated by the alarm rules like any reading.",
        request=s.ObservationsSerializer,
        responses={201: s.IngestResultSerializer, **problems(400, 401, 403, 404)},
        examples=[
            OpenApiExample(
                "A full set",
                request_only=True,
                value={
                    "recorded_at": "2026-11-20T08:00:00Z",
                    "heart_rate": 96,
                    "spo2": 94,
                    "resp_rate": 22,
                    "temperature": 38.4,
                    "systolic_bp": 104,
                    "diastolic_bp": 70,
                    "consciousness": "A",
                    "oxygen_flow": 0,
                },
            )
        ],
    )
    def post(self, request: Request, patient_pk: str) -> Response:
        actor = actor_of(request)
        patient = get_object_or_404(Patient.objects.visible_to(actor), pk=patient_pk)
        values = validated(s.ObservationsSerializer, request)
        recorded_at = values.pop("recorded_at")
        result = services.enter_observations(
            patient=patient, recorded_at=recorded_at.isoformat(), values=values, actor=actor
        )
        return Response(result.as_dict(), status=status.HTTP_201_CREATED)
