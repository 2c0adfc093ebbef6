"""ECG recordings: upload (people and devices), metadata, signal windows, beats, exports, the
original file, and the patient-data query across recordings."""

from typing import Any, cast

from django.db.models import QuerySet
from django.http import FileResponse
from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import mixins, parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.audit.mixins import AuditedReadMixin
from heartmon.audit.models import AuditAction
from heartmon.core.actor import actor_of
from heartmon.core.errors import InvalidInput
from heartmon.core.permissions import RolePermission
from heartmon.core.schema import problems
from heartmon.devices.authentication import PEOPLE_AND_DEVICES
from heartmon.devices.permissions import PeopleByRoleDevicesFor
from heartmon.ecg import exports, responses, uploads, windows
from heartmon.ecg import serializers as s
from heartmon.ecg.filters import RecordingFilter
from heartmon.ecg.formats import Upload
from heartmon.ecg.models import Recording
from heartmon.ecg.renderers import FileNegotiation, Int16Renderer, OrjsonRenderer
from heartmon.ecg.selectors import recordings_between, recordings_for
from heartmon.ecg.services import recordings


def _query(
    serializer_class: type[serializers.Serializer[None]], request: Request
) -> dict[str, Any]:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# A file download answers its one type whatever Accept or ?format= say; errors are problem JSON.
FILE_ANSWER: dict[str, Any] = {
    "content_negotiation_class": FileNegotiation,
    "renderer_classes": [OrjsonRenderer],
}
WINDOW_PARAMETERS = [
    OpenApiParameter("start", OpenApiTypes.DATETIME, description=s.TIME_HELP),
    OpenApiParameter("end", OpenApiTypes.DATETIME, description="Exclusive. " + s.TIME_HELP),
    OpenApiParameter("leads", str, description="Lead names, comma-separated (default: all)."),
]
SAMPLES_RESPONSE = inline_serializer(
    "EcgSamples",
    {
        "start": serializers.DateTimeField(help_text="Time of the first sample."),
        "end": serializers.DateTimeField(help_text="Just after the last sample."),
        "first_sample": serializers.IntegerField(help_text="Index of the first sample."),
        "sample_count": serializers.IntegerField(help_text="Samples per lead in the window."),
        "sample_rate": serializers.FloatField(),
        "leads": serializers.ListField(child=serializers.CharField()),
        "units": serializers.CharField(),
        "downsampled": serializers.BooleanField(),
        "times": serializers.ListField(
            child=serializers.FloatField(),
            allow_null=True,
            help_text="Downsampled only: each point's seconds from start (a bucket's start and "
            "middle); at full resolution sample i is at start + i / sample_rate.",
        ),
        "values": serializers.ListField(
            child=serializers.ListField(child=serializers.FloatField()),
            help_text="One array per lead, in mV.",
        ),
    },
)


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
    AuditedReadMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Recording],
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

    def _recording(self) -> Recording:
        return cast(Recording, self.get_object())

    def _audit(self, recording: Recording, action_name: str) -> None:
        """Once the request has proved valid: refused requests leave no trace."""
        self.audit_read(action_name, patient_ids=[recording.patient_id], target=recording)

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

    @extend_schema(
        summary="A window of the signal in mV (or raw int16), downsampled on request",
        description=(
            "Reads only the chunks the window needs. `max_points` returns, per lead, the minimum "
            "and maximum of equal buckets in time order, so no peak is lost on screen. With "
            "`Accept: application/octet-stream` the answer is little-endian int16, leads "
            "interleaved, full resolution; mV = (value - baseline) / gain with X-Gains and "
            "X-Baselines from the headers."
        ),
        parameters=[
            *WINDOW_PARAMETERS,
            OpenApiParameter("max_points", int, description="At most this many points per lead."),
        ],
        responses={
            (200, "application/json"): SAMPLES_RESPONSE,
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="Raw int16 samples."
            ),
            **problems(400, 401, 403, 404, 406),
        },
    )
    @action(detail=True, renderer_classes=[OrjsonRenderer, Int16Renderer], filter_backends=[])
    def samples(self, request: Request, pk: str) -> Response:
        query = _query(s.WindowQuerySerializer, request)
        recording = self._recording()
        window = windows.window_of(
            recording, start=query.get("start"), end=query.get("end"), leads=query.get("leads")
        )
        raw = isinstance(request.accepted_renderer, Int16Renderer)
        if raw and "max_points" in query:
            raise InvalidInput("Raw samples come at full resolution.", field="max_points")
        windows.check_size(window.values, max_points=query.get("max_points"))
        self._audit(recording, AuditAction.ECG_SIGNAL_READ)
        if raw:
            _, samples = windows.read_window(recording, window, max_points=None)
            return Response(
                samples.astype("<i2").tobytes(), headers=windows.raw_headers(recording, window)
            )
        return Response(
            windows.signal_answer(recording, window, max_points=query.get("max_points"))
        )

    @extend_schema(
        summary="R peaks found by the analysis, as sample indices and times",
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATETIME, description="Beats from this time."),
            OpenApiParameter("end", OpenApiTypes.DATETIME, description="Beats before this time."),
        ],
        responses={
            200: inline_serializer(
                "EcgBeats",
                {
                    "recording": serializers.UUIDField(),
                    "status": serializers.CharField(help_text="The analysis status."),
                    "sample_rate": serializers.FloatField(),
                    "count": serializers.IntegerField(),
                    "samples": serializers.ListField(child=serializers.IntegerField()),
                    "seconds": serializers.ListField(
                        child=serializers.FloatField(), help_text="From the recording's start."
                    ),
                    "times": serializers.ListField(child=serializers.DateTimeField()),
                },
            ),
            **problems(400, 401, 403, 404),
        },
    )
    @action(detail=True, renderer_classes=[OrjsonRenderer], filter_backends=[])
    def beats(self, request: Request, pk: str) -> Response:
        query = _query(s.BeatsQuerySerializer, request)
        recording = self._recording()
        self._audit(recording, AuditAction.ECG_BEATS_READ)
        return Response(responses.beats_answer(recording, query.get("start"), query.get("end")))

    @extend_schema(
        summary="Export a window as WFDB (zip of .hea and .dat), EDF+ or CSV",
        parameters=[
            OpenApiParameter("format", str, required=True, enum=exports.EXPORT_FORMATS),
            *WINDOW_PARAMETERS,
        ],
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The file, as an attachment."
            ),
            **problems(400, 401, 403, 404),
        },
    )
    @action(detail=True, filter_backends=[], **FILE_ANSWER)
    def export(self, request: Request, pk: str) -> HttpResponseBase:
        query = _query(s.ExportQuerySerializer, request)
        recording = self._recording()
        window = windows.window_of(
            recording, start=query.get("start"), end=query.get("end"), leads=query.get("leads")
        )
        if window.length == 0:
            raise InvalidInput("The window holds no samples.", field="start")
        response = responses.export_response(recording, window, query["format"])
        self._audit(recording, AuditAction.ECG_EXPORTED)
        return response

    @extend_schema(
        summary="The uploaded file, byte for byte (WFDB: a zip of the .hea and the .dat)",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The original upload."
            ),
            **problems(401, 403, 404),
        },
    )
    @action(detail=True, filter_backends=[], **FILE_ANSWER)
    def original(self, request: Request, pk: str) -> FileResponse:
        recording = self._recording()
        response = responses.original_response(recording)
        self._audit(recording, AuditAction.ECG_ORIGINAL_DOWNLOADED)
        return response


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
            OpenApiParameter(
                "start", OpenApiTypes.DATETIME, required=True, description=s.TIME_HELP
            ),
            OpenApiParameter("end", OpenApiTypes.DATETIME, required=True, description="Exclusive."),
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
        query = _query(s.DataQuerySerializer, request)
        found = recordings_between(actor_of(request), query)
        body = responses.data_answer(found, query)
        self.audit_read(
            AuditAction.ECG_DATA_QUERIED,
            patient_ids=[recording.patient_id for recording in found],
            recordings=[str(recording.pk) for recording in found],
        )
        return Response(body)
