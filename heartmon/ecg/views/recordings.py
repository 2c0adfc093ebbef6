"""ECG recordings: upload (people and devices), metadata, deletion; the signal reads come from
SignalReads."""

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, parsers, status
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.audit.models import AuditAction
from heartmon.core.actor import actor_of
from heartmon.core.schema import problems
from heartmon.devices.authentication import PEOPLE_AND_DEVICES
from heartmon.devices.permissions import PeopleByRoleDevicesFor
from heartmon.ecg import serializers as s
from heartmon.ecg import uploads
from heartmon.ecg.filters import RecordingFilter
from heartmon.ecg.formats import Upload
from heartmon.ecg.models import Recording
from heartmon.ecg.selectors import recordings_for
from heartmon.ecg.services import recordings
from heartmon.ecg.views.signals import SignalReads


@extend_schema_view(
    list=extend_schema(
        summary="ECG recordings of your organization (metadata)",
        responses={200: s.RecordingSerializer(many=True), **problems(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary="One ECG recording (metadata; the analysis summary for roles that read signals)",
        responses={200: s.RecordingSerializer, **problems(401, 403, 404)},
    ),
    destroy=extend_schema(
        summary="Delete an ECG recording and its files",
        responses={204: None, **problems(401, 403, 404)},
    ),
)
class RecordingViewSet(
    SignalReads, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin
):
    serializer_class = s.RecordingSerializer
    authentication_classes = PEOPLE_AND_DEVICES
    permission_classes = [PeopleByRoleDevicesFor]
    device_actions = frozenset({"create"})
    parser_classes = [parsers.MultiPartParser]
    role_resource = "ecg_recordings"
    role_actions = {
        "create": "upload",
        "destroy": "delete",
        "samples": "signal",
        "beats": "signal",
        "events": "signal",
        "export": "signal",
        "original": "signal",
    }
    filterset_class = RecordingFilter
    ordering_fields = ["start_time", "created_at"]
    search_fields: list[str] = []

    def get_queryset(self) -> QuerySet[Recording]:
        return recordings_for(actor_of(self.request))

    def initialize_request(self, request: Any, *args: Any, **kwargs: Any) -> Request:
        if request.method == "POST":
            uploads.stream_to_disk(request)
        return super().initialize_request(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        self.audit_read(
            AuditAction.ECG_LISTED,
            patient_ids=[row["patient"] for row in response.data["results"]],
            recordings=response.data["count"],
        )
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        recording = self._recording()
        self._audit(recording, AuditAction.ECG_VIEWED)
        return Response(self.get_serializer(recording).data)

    @extend_schema(
        summary="Upload an ECG recording (multipart; people with a token, devices with their key)",
        request={"multipart/form-data": s.RecordingUploadSerializer},
        responses={201: s.RecordingSerializer, **problems(400, 401, 403, 409, 413)},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        uploads.refuse_by_content_length(request)
        data = s.RecordingUploadSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        recording = recordings.upload_recording(
            facts=recordings.RecordingFacts(
                device=fields["device"],
                patient=fields.get("patient"),
                data_id=fields["data_id"],
                kind=fields["kind"],
                format=fields["format"],
                start_time=fields["start_time"],
                end_time=fields.get("end_time"),
                overwrite=fields["overwrite"],
            ),
            upload=Upload(
                file=fields["file"],
                header=fields.get("header"),
                sample_rate=fields.get("sample_rate"),
                leads=fields.get("leads"),
                gains=fields.get("gain"),
                baselines=fields.get("baseline"),
            ),
            actor=actor_of(request),
        )
        # Without a broker the analysis has run by now; a concurrent overwrite may have replaced
        # the recording already, leaving what was stored to answer with.
        current = Recording.objects.filter(pk=recording.pk).first() or recording
        body = s.RecordingSerializer(current, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Recording) -> None:
        recordings.delete_recording(recording=instance, actor=actor_of(self.request))
