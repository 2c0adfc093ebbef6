"""ECG recordings: upload (people and devices), metadata, signal windows, beats, exports, the
original file, and the patient-data query across recordings."""

from datetime import datetime
from typing import Any, cast
from uuid import UUID

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
from rest_framework.authentication import BaseAuthentication
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from heartmon.accounts.permissions import RolePermission
from heartmon.audit.models import AuditAction
from heartmon.audit.services import record_event
from heartmon.core.errors import InvalidInput
from heartmon.core.schema import problems
from heartmon.devices.authentication import DeviceAuthentication, DevicePrincipal
from heartmon.ecg import exports, responses, uploads, windows
from heartmon.ecg import serializers as s
from heartmon.ecg.filters import RecordingFilter
from heartmon.ecg.formats import Upload
from heartmon.ecg.models import Recording
from heartmon.ecg.renderers import FileNegotiation, Int16Renderer, OrjsonRenderer
from heartmon.ecg.services import recordings


class ActiveDeviceOrRole(BasePermission):
    """A device key may upload (create) for its own active device; everything else, and every
    person, goes by the role table."""

    message = "Your role does not allow this action."

    def has_permission(self, request: Request, view: Any) -> bool:
        principal = request.user
        if isinstance(principal, DevicePrincipal) and view.action == "create":
            self.message = "This device is not active: it may not send anything."
            return principal.device.is_active
        return RolePermission().has_permission(request, view)


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
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet[Recording],
):
    serializer_class = s.RecordingSerializer
    # People's schemes first: a 401 asks for a bearer token.
    authentication_classes = [
        *cast(list[type[BaseAuthentication]], api_settings.DEFAULT_AUTHENTICATION_CLASSES),
        DeviceAuthentication,
    ]
    permission_classes = [ActiveDeviceOrRole]
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
        return Recording.objects.visible_to(self.request.user)

    def initialize_request(self, request: Any, *args: Any, **kwargs: Any) -> Request:
        if request.method == "POST":
            uploads.stream_to_disk(request)
        return super().initialize_request(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        record_event(
            AuditAction.ECG_LISTED,
            request=request,
            patient_id=request.query_params.get("patient") if response.data["count"] else None,
            details={"count": response.data["count"]},
        )
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        recording = self._recording()
        self._audit(recording, AuditAction.ECG_VIEWED)
        return Response(self.get_serializer(recording).data)

    def _recording(self) -> Recording:
        return cast(Recording, self.get_object())

    def _audit(
        self, recording: Recording, action_name: str, query: dict[str, Any] | None = None
    ) -> None:
        """Once the request has proved valid: refused requests leave no trace."""
        record_event(
            action_name,
            request=self.request,
            target=recording,
            patient_id=recording.patient_id,
            details=_details(query or {}),
        )

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
            request=request,
        )
        # Without a broker the analysis has run by now; a concurrent overwrite may have replaced
        # the recording already, leaving what was stored to answer with.
        current = Recording.objects.filter(pk=recording.pk).first() or recording
        body = s.RecordingSerializer(current, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance: Recording) -> None:
        recordings.delete_recording(recording=instance, request=self.request)

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
        self._audit(recording, AuditAction.ECG_SIGNAL_READ, query)
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
                    "classes": serializers.ListField(
                        child=serializers.ChoiceField(choices=["N", "V", "Q"]),
                        help_text="Per beat: N normal, V ventricular ectopic, Q unknown.",
                    ),
                },
            ),
            **problems(400, 401, 403, 404),
        },
    )
    @action(detail=True, renderer_classes=[OrjsonRenderer], filter_backends=[])
    def beats(self, request: Request, pk: str) -> Response:
        query = _query(s.BeatsQuerySerializer, request)
        recording = self._recording()
        self._audit(recording, AuditAction.ECG_BEATS_READ, query)
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
        self._audit(recording, AuditAction.ECG_EXPORTED, query)
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


def _details(query: dict[str, Any]) -> dict[str, Any]:
    """The audit trail keeps what was asked for, as JSON."""
    return {name: _plain(value) for name, value in query.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, UUID):
        return str(value)
    return value


class RecordingDataView(APIView):
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
        recordings = responses.recordings_between(request.user, query)
        body = responses.data_answer(recordings, query)
        record_event(
            AuditAction.ECG_DATA_QUERIED,
            request=request,
            patient_id=query["patient"] if recordings else None,
            details={**_details(query), "recordings": [str(r.pk) for r in recordings]},
        )
        return Response(body)


EVENT_FIELDS: dict[str, serializers.Field[Any, Any, Any, Any]] = {
    "kind": serializers.ChoiceField(choices=["pause", "asystole"]),
    "start": serializers.DateTimeField(help_text="The beat before the pause."),
    "offset_s": serializers.FloatField(help_text="Seconds from the recording's start."),
    "duration_s": serializers.FloatField(),
}
QUALITY_FIELDS: dict[str, serializers.Field[Any, Any, Any, Any]] = {
    "start": serializers.DateTimeField(),
    "offset_s": serializers.FloatField(help_text="Seconds from the recording's start."),
    "duration_s": serializers.FloatField(),
    "score": serializers.FloatField(help_text="0 (unusable) to 1 (clean)."),
    "reason": serializers.CharField(help_text='Below 0.5: "flat line", "clipping" or "noise".'),
    "usable": serializers.BooleanField(help_text="Beats and heart rate are reported inside."),
    "lead": serializers.CharField(help_text="The lead whose beats the segment took."),
}


class RecordingEventsView(GenericAPIView[Recording]):
    """Pauses, asystole and signal quality found by a recording's analysis."""

    permission_classes = [RolePermission]
    role_resource = "ecg_recordings"
    role_actions = {"get": "signal"}
    renderer_classes = [OrjsonRenderer]
    filter_backends = []

    def get_queryset(self) -> QuerySet[Recording]:
        return Recording.objects.visible_to(self.request.user)

    @extend_schema(
        summary="Pauses, asystole and per-10-second signal quality from the analysis",
        description=(
            "Every interval of 3 s or more without a beat is a pause, 4 s or more an asystole "
            "(start: the beat before it). Each 10-second segment has a quality score and, below "
            "0.5, its reason; no beats or heart rate are reported inside an unusable one. "
            "`start` and `end` keep what overlaps the window. Empty before the analysis."
        ),
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATETIME, description=s.TIME_HELP),
            OpenApiParameter("end", OpenApiTypes.DATETIME, description="Exclusive."),
        ],
        responses={
            200: inline_serializer(
                "EcgEvents",
                {
                    "recording": serializers.UUIDField(),
                    "status": serializers.CharField(help_text="The analysis status."),
                    "events": inline_serializer("EcgRhythmEvent", EVENT_FIELDS, many=True),
                    "quality": inline_serializer("EcgSegmentQuality", QUALITY_FIELDS, many=True),
                },
            ),
            **problems(400, 401, 403, 404),
        },
    )
    def get(self, request: Request, pk: UUID) -> Response:
        query = _query(s.EventsQuerySerializer, request)
        recording = self.get_object()
        record_event(
            AuditAction.ECG_BEATS_READ,
            request=request,
            target=recording,
            patient_id=recording.patient_id,
            details={**_details(query), "read": "events"},
        )
        return Response(responses.events_answer(recording, query.get("start"), query.get("end")))
