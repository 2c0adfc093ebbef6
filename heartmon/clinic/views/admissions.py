"""Admissions: staff and admins admit, transfer and discharge; clinicians read the history."""

from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import generics, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.audit.mixins import AuditedReadMixin
from heartmon.audit.models import AuditAction
from heartmon.clinic import serializers as s
from heartmon.clinic.filters import AdmissionFilter
from heartmon.clinic.models import Admission, Patient
from heartmon.clinic.selectors import admissions_for, patients_for
from heartmon.clinic.services import admissions
from heartmon.core.actor import actor_of
from heartmon.core.permissions import RolePermission
from heartmon.core.schema import problems
from heartmon.core.validation import validated


class AdmissionListing(AuditedReadMixin):
    """List behaviour shared by the organization's and one patient's admission history."""

    filterset_class = AdmissionFilter
    search_fields = ["patient__patient_number", "patient__family_name", "place__name"]
    ordering_fields = ["admitted_at", "discharged_at"]

    def audit_page(self, rows: list[dict[str, Any]]) -> None:
        self.audit_read(
            AuditAction.ADMISSIONS_LISTED,
            patient_ids=[row["patient"]["id"] for row in rows],
            admission_ids=[row["id"] for row in rows],
        )


@extend_schema_view(
    list=extend_schema(
        summary="Admissions of your organization (?open=true for current ones)",
        responses={200: s.AdmissionSerializer(many=True), **problems(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="One admission: patient, place, attending, devices and transfers",
        responses={200: s.AdmissionSerializer, **problems(401, 403, 404)},
    ),
)
class AdmissionViewSet(
    AdmissionListing,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet[Admission],
):
    serializer_class = s.AdmissionSerializer
    permission_classes = [RolePermission]
    role_resource = "admissions"
    role_actions = {"create": "admit", "discharge": "admit", "transfer": "admit"}

    def get_queryset(self) -> QuerySet[Admission]:
        return admissions_for(actor_of(self.request))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        self.audit_page(response.data["results"])
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        admission = self.get_object()
        self.audit_read(
            AuditAction.ADMISSION_VIEWED, patient_ids=[admission.patient_id], target=admission
        )
        return Response(self.get_serializer(admission).data)

    @extend_schema(
        summary="Admit a patient to a bed or ward, with monitoring devices",
        request=s.AdmitSerializer,
        responses={201: s.AdmissionSerializer, **problems(400, 401, 403, 409)},
        examples=[
            OpenApiExample(
                "Admit to a bed with one monitor",
                request_only=True,
                value={
                    "patient": "7d1c0f5e-2b8a-4c3e-9f6d-1a2b3c4d5e6f",
                    "place": "3f2b6c1e-8d4a-4e2b-9c1d-5a6b7c8d9e0f",
                    "devices": ["9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"],
                    "attending": "0b6f7a52-52a4-4b6e-9a55-2f1b7f0d8c11",
                    "reason": "Syncope, telemetry for 48 h",
                },
            )
        ],
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(s.AdmitSerializer, request)
        admission = admissions.admit_patient(**data, actor=actor_of(request))
        return self._present(admission, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Discharge: close the admission and free its bed and devices",
        request=s.DischargeSerializer,
        responses={200: s.AdmissionSerializer, **problems(400, 401, 403, 404, 409)},
        examples=[OpenApiExample("Home", request_only=True, value={"reason": "Recovered"})],
    )
    @action(detail=True, methods=["post"])
    def discharge(self, request: Request, pk: str | None = None) -> Response:
        admission, data = self.get_object(), validated(s.DischargeSerializer, request)
        admissions.discharge_patient(
            admission=admission, reason=data["reason"], actor=actor_of(request)
        )
        return self._present(admission)

    @extend_schema(
        summary="Move an open admission to another bed or ward",
        request=s.TransferRequestSerializer,
        responses={200: s.AdmissionSerializer, **problems(400, 401, 403, 404, 409)},
        examples=[
            OpenApiExample(
                "To the step-down unit",
                request_only=True,
                value={"place": "3f2b6c1e-8d4a-4e2b-9c1d-5a6b7c8d9e0f", "reason": "Stable"},
            )
        ],
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request: Request, pk: str | None = None) -> Response:
        admission, data = self.get_object(), validated(s.TransferRequestSerializer, request)
        admissions.transfer_patient(admission=admission, **data, actor=actor_of(request))
        return self._present(admission)

    def _present(self, admission: Admission, status_code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=admission.pk)
        return Response(s.AdmissionSerializer(fresh).data, status=status_code)


@extend_schema(
    summary="A patient's admission history (newest first)",
    responses={200: s.AdmissionSerializer(many=True), **problems(400, 401, 403, 404)},
)
class PatientAdmissionsView(AdmissionListing, generics.ListAPIView[Admission]):
    serializer_class = s.AdmissionSerializer
    permission_classes = [RolePermission]
    role_resource = "admissions"

    @cached_property
    def patient(self) -> Patient:
        return get_object_or_404(patients_for(actor_of(self.request)), pk=self.kwargs["patient_pk"])

    def get_queryset(self) -> QuerySet[Admission]:
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no patient
            return Admission.objects.none()
        return admissions_for(actor_of(self.request)).filter(patient=self.patient)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        self.audit_page(response.data["results"])
        return response
