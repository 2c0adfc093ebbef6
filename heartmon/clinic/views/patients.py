"""Patients and their care teams. Every read and change of a patient is audited."""

from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.audit.mixins import AuditedReadMixin
from heartmon.audit.models import AuditAction
from heartmon.clinic import serializers as s
from heartmon.clinic.filters import CareTeamFilter, PatientFilter
from heartmon.clinic.models import CareTeamMember, Patient
from heartmon.clinic.selectors import patients_for
from heartmon.clinic.services import care_team, patients
from heartmon.core.actor import actor_of
from heartmon.core.permissions import RolePermission
from heartmon.core.roles import may
from heartmon.core.schema import problems
from heartmon.core.validation import validated

ARCHIVED = OpenApiParameter(
    "archived", OpenApiTypes.BOOL, description="true: archived patients only (admins)."
)


@extend_schema_view(
    list=extend_schema(
        summary="Your organization's patients (archived ones are hidden)",
        parameters=[ARCHIVED],
        responses={200: s.PatientSerializer(many=True), **problems(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="One patient (technicians see no notes or contact details)",
        responses={200: s.PatientSerializer, **problems(401, 403, 404)},
    ),
    partial_update=extend_schema(
        summary="Change a patient (the number is fixed once they have admissions or devices)",
        responses={200: s.PatientSerializer, **problems(400, 401, 403, 404, 409)},
        examples=[OpenApiExample("New phone", request_only=True, value={"phone": "+14155550199"})],
    ),
    destroy=extend_schema(
        summary="Archive a patient: hidden from lists, every record kept; admins restore",
        responses={204: None, **problems(401, 403, 404, 409)},
    ),
)
class PatientViewSet(AuditedReadMixin, viewsets.ModelViewSet[Patient]):
    permission_classes = [RolePermission]
    role_resource = "patients"
    role_actions = {"restore": "archived"}
    filterset_class = PatientFilter
    search_fields = ["patient_number", "given_name", "family_name"]
    ordering_fields = ["family_name", "given_name", "patient_number", "birth_date", "created_at"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    query_parameters = {"list": ["archived"]}  # read by get_queryset (core.query)

    def get_queryset(self) -> QuerySet[Patient]:
        actor = actor_of(self.request)
        if self.action != "list":
            return patients_for(actor)
        if not self._archived_requested():
            return Patient.objects.active().visible_to(actor)
        if not may(actor, "patients", "archived"):
            raise exceptions.PermissionDenied("Only admins list archived patients.")
        return Patient.objects.archived().visible_to(actor)

    def _archived_requested(self) -> bool:
        value = self.request.query_params.get("archived", "false")
        try:
            return bool(serializers.BooleanField().to_internal_value(value))
        except exceptions.ValidationError as exc:
            raise exceptions.ValidationError({"archived": exc.detail}) from exc

    def get_serializer_class(self) -> Any:
        if self.request.method == "GET" and not may(
            actor_of(self.request), "clinical_details", "read"
        ):
            return s.PatientSummarySerializer
        return s.PatientSerializer

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        ids = [row["id"] for row in response.data["results"]]
        self.audit_read(AuditAction.PATIENTS_LISTED, patient_ids=ids)
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        patient = self.get_object()
        self.audit_read(AuditAction.PATIENT_VIEWED, patient_ids=[patient.pk], target=patient)
        return Response(self.get_serializer(patient).data)

    @extend_schema(
        summary="Register a patient",
        responses={201: s.PatientSerializer, **problems(400, 401, 403, 409)},
        examples=[
            OpenApiExample(
                "A new patient",
                request_only=True,
                value={
                    "patient_number": "MRN-004211",
                    "given_name": "Ada",
                    "family_name": "Okafor",
                    "birth_date": "1957-03-14",
                    "sex": "female",
                    "phone": "+14155550123",
                },
            )
        ],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        patient = patients.register_patient(data=serializer.validated_data, actor=actor_of(request))
        return Response(s.PatientSerializer(patient).data, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer: Any) -> None:
        patients.update_patient(
            patient=serializer.instance,
            changes=serializer.validated_data,
            actor=actor_of(self.request),
        )

    def perform_destroy(self, instance: Patient) -> None:
        patients.archive_patient(patient=instance, actor=actor_of(self.request))

    @extend_schema(
        summary="Restore an archived patient (admins)",
        request=None,
        responses={200: s.PatientSerializer, **problems(401, 403, 404, 409)},
    )
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str | None = None) -> Response:
        patient = patients.restore_patient(patient=self.get_object(), actor=actor_of(request))
        return Response(s.PatientSerializer(patient).data)


@extend_schema_view(
    list=extend_schema(
        summary="A patient's care team",
        responses={200: s.CareTeamMemberSerializer(many=True), **problems(400, 401, 403, 404)},
    ),
    destroy=extend_schema(
        summary="Take someone off a patient's care team",
        responses={204: None, **problems(401, 403, 404)},
    ),
)
class CareTeamViewSet(
    AuditedReadMixin,
    mixins.ListModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[CareTeamMember],
):
    serializer_class = s.CareTeamMemberSerializer
    permission_classes = [RolePermission]
    role_resource = "care_team"
    filterset_class = CareTeamFilter
    search_fields = ["user__first_name", "user__last_name", "user__email"]
    ordering_fields = ["added_at", "role"]

    def get_queryset(self) -> QuerySet[CareTeamMember]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no patient
            return CareTeamMember.objects.none()
        members = CareTeamMember.objects.visible_to(actor_of(self.request))
        return members.filter(patient=self.patient).select_related("user")

    @cached_property
    def patient(self) -> Patient:
        return get_object_or_404(patients_for(actor_of(self.request)), pk=self.kwargs["patient_pk"])

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        patient = self.patient
        self.audit_read(AuditAction.CARE_TEAM_VIEWED, patient_ids=[patient.pk], target=patient)
        return response

    @extend_schema(
        summary="Add a user of the organization to a patient's care team",
        request=s.CareTeamAddSerializer,
        responses={201: s.CareTeamMemberSerializer, **problems(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "An attending physician",
                request_only=True,
                value={"user": "0b6f7a52-52a4-4b6e-9a55-2f1b7f0d8c11", "role": "attending"},
            )
        ],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        patient = self.patient
        data = validated(s.CareTeamAddSerializer, request)
        member = care_team.add_care_team_member(patient=patient, **data, actor=actor_of(request))
        return Response(s.CareTeamMemberSerializer(member).data, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: CareTeamMember) -> None:
        care_team.remove_care_team_member(member=instance, actor=actor_of(self.request))
