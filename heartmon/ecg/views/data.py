"""Reference 000's question: everything a device recorded of a patient between two times."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.audit.mixins import AuditedReadMixin
from heartmon.audit.models import AuditAction
from heartmon.core.actor import actor_of
from heartmon.core.permissions import RolePermission
from heartmon.core.schema import problems
from heartmon.core.time import window_parameters
from heartmon.core.validation import validated_query
from heartmon.ecg import responses
from heartmon.ecg import serializers as s
from heartmon.ecg.renderers import OrjsonRenderer
from heartmon.ecg.selectors import recordings_between


class RecordingDataView(AuditedReadMixin):
    """Reference 000's question: everything a device recorded of a patient between two times."""

    permission_classes = [RolePermission]
    role_resource = "ecg_recordings"
    role_actions = {"get": "signal"}
    renderer_classes = [OrjsonRenderer]

    @extend_schema(
        summary="All ECG of a patient (from a device) between two times, across recordings",
        description=(
            "Each overlapping recording is clipped to the window: its start, end, record count "
            "(samples per lead in the window) and samples in mV, one array per lead. Another "
            "organization's patient or device has no recordings here."
        ),
        parameters=[
            OpenApiParameter("patient", OpenApiTypes.UUID, required=True),
            OpenApiParameter("device", OpenApiTypes.UUID),
            OpenApiParameter("kind", str, enum=["raw", "processed"]),
            *window_parameters(required=True),
            OpenApiParameter("max_points", int, description="Per recording and lead."),
        ],
        responses={
            200: inline_serializer(
                "EcgData",
                {
                    "patient": serializers.UUIDField(),
                    "device": serializers.UUIDField(allow_null=True),
                    "start": serializers.DateTimeField(),
                    "end": serializers.DateTimeField(),
                    "results": serializers.ListField(child=serializers.DictField()),
                },
            ),
            **problems(400, 401, 403),
        },
    )
    def get(self, request: Request) -> Response:
        query = validated_query(s.DataQuerySerializer, request)
        found = recordings_between(actor_of(request), query)
        body = responses.data_answer(found, query)
        self.audit_read(
            AuditAction.ECG_DATA_QUERIED,
            patient_ids=[recording.patient_id for recording in found],
            recordings=[str(recording.pk) for recording in found],
        )
        return Response(body)
