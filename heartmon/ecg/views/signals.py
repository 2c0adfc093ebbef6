"""What roles that read signals get of a recording: windows of samples, beats, rhythm events and
signal quality, exports and the original file. Each read is audited once the request proved valid
(refused requests leave no trace)."""

from typing import Any, cast

from django.http import FileResponse
from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.audit.mixins import AuditedReadMixin
from heartmon.audit.models import AuditAction
from heartmon.core.errors import InvalidInput
from heartmon.core.schema import problems
from heartmon.core.time import window_parameters
from heartmon.core.validation import validated_query
from heartmon.ecg import exports, responses, windows
from heartmon.ecg import serializers as s
from heartmon.ecg.models import Recording
from heartmon.ecg.renderers import FileNegotiation, Int16Renderer, OrjsonRenderer

# A file download answers its one type whatever Accept or ?format= say; errors are problem JSON.
FILE_ANSWER: dict[str, Any] = {
    "content_negotiation_class": FileNegotiation,
    "renderer_classes": [OrjsonRenderer],
}
WINDOW_PARAMETERS = [
    *window_parameters(),
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


# The signal reads of RecordingViewSet (a comment: a docstring would describe the viewset in the
# OpenAPI schema).
class SignalReads(AuditedReadMixin, viewsets.GenericViewSet[Recording]):
    def _recording(self) -> Recording:
        return cast(Recording, self.get_object())

    def _audit(self, recording: Recording, action_name: str) -> None:
        """Once the request has proved valid: refused requests leave no trace."""
        self.audit_read(action_name, patient_ids=[recording.patient_id], target=recording)

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
        query = validated_query(s.WindowQuerySerializer, request)
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
        parameters=window_parameters(),
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
        query = validated_query(s.SpanQuerySerializer, request)
        recording = self._recording()
        self._audit(recording, AuditAction.ECG_BEATS_READ)
        return Response(responses.beats_answer(recording, query.get("start"), query.get("end")))

    @extend_schema(
        summary="Pauses, asystole and per-10-second signal quality from the analysis",
        description=(
            "Every interval of 3 s or more without a beat is a pause, 4 s or more an asystole "
            "(start: the beat before it). Each 10-second segment has a quality score and, below "
            "0.5, its reason; no beats or heart rate are reported inside an unusable one. "
            "`start` and `end` keep what overlaps the window. Empty before the analysis."
        ),
        parameters=window_parameters(),
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
    @action(detail=True, renderer_classes=[OrjsonRenderer], filter_backends=[])
    def events(self, request: Request, pk: str) -> Response:
        query = validated_query(s.SpanQuerySerializer, request)
        recording = self._recording()
        self._audit(recording, AuditAction.ECG_EVENTS_READ)
        return Response(responses.events_answer(recording, query.get("start"), query.get("end")))

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
        query = validated_query(s.ExportQuerySerializer, request)
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
