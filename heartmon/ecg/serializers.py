import math
from typing import Any

from rest_framework import exceptions, serializers

from heartmon.clinic.models import Patient
from heartmon.core.actor import actor_of
from heartmon.core.fields import VisibleIdField
from heartmon.core.roles import may
from heartmon.core.time import TIME_HELP, MeasuredTimeField, TimeField, validated_window
from heartmon.devices.authentication import sending_device
from heartmon.devices.models import Device
from heartmon.ecg.exports import EXPORT_FORMATS
from heartmon.ecg.formats import FormatError
from heartmon.ecg.formats.base import MAX_SAMPLE_RATE, MIN_SAMPLE_RATE, lead_names
from heartmon.ecg.models import Recording, RecordingFormat, RecordingKind
from heartmon.ecg.windows import MIN_POINTS

MAX_POINTS = 100_000


class SummarySerializer(serializers.ModelSerializer[Recording]):
    class Meta:
        model = Recording
        fields = [
            "beat_count",
            "mean_hr",
            "min_hr",
            "max_hr",
            "sdnn_ms",
            "rmssd_ms",
            "signal_quality",
            "pause_count",
            "longest_pause_s",
            "asystole_count",
            "pvc_count",
            "pvc_burden",
            "pvc_couplets",
            "pvc_runs",
            "bigeminy_episodes",
        ]


class RecordingSerializer(serializers.ModelSerializer[Recording]):
    lead_count = serializers.IntegerField(read_only=True)
    duration = serializers.FloatField(read_only=True, help_text="Seconds.")
    gains = serializers.ListField(
        child=serializers.FloatField(), read_only=True, help_text="ADC units per mV, per lead."
    )
    baselines = serializers.ListField(
        child=serializers.FloatField(), read_only=True, help_text="ADC value of 0 mV, per lead."
    )
    leads = serializers.ListField(child=serializers.CharField(), read_only=True)
    units = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="Per lead, as the file stated them; samples are served in mV.",
    )
    summary = SummarySerializer(
        source="*",
        read_only=True,
        required=False,
        help_text="From the analysis, once done; shown to roles that may read the signal.",
    )

    class Meta:
        model = Recording
        fields = [
            "id",
            "data_id",
            "kind",
            "format",
            "patient",
            "device",
            "start_time",
            "end_time",
            "duration",
            "sample_rate",
            "lead_count",
            "leads",
            "units",
            "gains",
            "baselines",
            "sample_count",
            "original_name",
            "header_name",
            "original_size",
            "checksum",
            "status",
            "status_reason",
            "summary",
            "processed_at",
            "created_at",
            "uploaded_by",
        ]
        read_only_fields = fields

    def to_representation(self, instance: Recording) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if not may(actor_of(self.context["request"]), "ecg_recordings", "signal"):
            del data["summary"]
        return data


def _numbers(text: str, field: str) -> list[float]:
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError as exc:
        raise serializers.ValidationError({field: "Give numbers separated by commas."}) from exc
    if not all(math.isfinite(value) for value in values):
        raise serializers.ValidationError({field: "Give finite numbers."})
    return values


class RecordingUploadSerializer(serializers.Serializer[None]):
    file = serializers.FileField(help_text="The signal: .dat (WFDB), .edf, .csv or raw int16.")
    header = serializers.FileField(required=False, help_text="WFDB only: the .hea file.")
    format = serializers.ChoiceField(choices=RecordingFormat.choices)
    kind = serializers.ChoiceField(choices=RecordingKind.choices, default=RecordingKind.RAW)
    data_id = serializers.CharField(
        max_length=128, help_text="The recording's name, unique in your organization."
    )
    device = VisibleIdField(
        queryset=Device.objects.all(),
        required=False,
        help_text="Required for people; a device key names its device.",
    )
    patient = VisibleIdField(
        queryset=Patient.objects.all(),
        required=False,
        help_text="Default: the patient the device was assigned to at start_time, else now. "
        "A device may name only that patient.",
    )
    start_time = MeasuredTimeField()
    end_time = MeasuredTimeField(
        required=False, help_text="Checked against the file's length (within 1 s)."
    )
    overwrite = serializers.BooleanField(
        default=False, help_text="Replace a recording with the same data_id."
    )
    sample_rate = serializers.FloatField(
        required=False,
        min_value=MIN_SAMPLE_RATE,
        max_value=MAX_SAMPLE_RATE,
        help_text="Hz; csv and int16 only (the other formats state it).",
    )
    leads = serializers.CharField(
        required=False, help_text="int16 only: lead names, comma-separated (I,II,III)."
    )
    gain = serializers.CharField(
        required=False,
        help_text="int16 only: ADC units per mV, one for all leads or one per lead.",
    )
    baseline = serializers.CharField(
        required=False, help_text="int16 only: ADC value of 0 mV (default 0), like gain."
    )

    REQUIRED = {
        "wfdb": {"header"},
        "edf": set(),
        "csv": {"sample_rate"},
        "int16": {"sample_rate", "leads", "gain"},
    }
    OPTIONAL = {"int16": {"baseline"}}
    FORMAT_FIELDS = {"header", "sample_rate", "leads", "gain", "baseline"}

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs["device"] = self._device(attrs.get("device"))
        kind = attrs["format"]
        required, optional = self.REQUIRED[kind], self.OPTIONAL.get(kind, set())
        unused = self.FORMAT_FIELDS & attrs.keys() - required - optional
        errors = {name: [f"Not for {kind} files."] for name in unused}
        errors |= {name: [f"Required for {kind} files."] for name in required - attrs.keys()}
        if errors:
            raise serializers.ValidationError(errors)
        if "leads" in attrs:
            attrs["leads"] = self._leads(attrs["leads"], attrs["device"].lead_count)
            count = len(attrs["leads"])
            attrs["gain"] = self._per_lead(attrs["gain"], "gain", count)
            if "baseline" in attrs:
                attrs["baseline"] = self._per_lead(attrs["baseline"], "baseline", count)
        return attrs

    def _device(self, device: Device | None) -> Device:
        sender = sending_device(self.context["request"])
        if sender is not None:
            if device is not None and device.pk != sender.pk:
                raise exceptions.PermissionDenied("This key belongs to another device.")
            return sender
        if device is None:
            raise serializers.ValidationError({"device": "Name the device that recorded it."})
        return device

    @staticmethod
    def _leads(text: str, max_leads: int) -> list[str]:
        names = text.split(",")
        if len(names) > max_leads:  # before checking every name
            raise serializers.ValidationError(
                {"leads": f"{len(names)} leads named; the device records {max_leads}."}
            )
        try:
            return lead_names(names, "leads")
        except FormatError as exc:
            raise serializers.ValidationError({"leads": exc.detail}) from exc

    @staticmethod
    def _per_lead(text: str, field: str, count: int) -> list[float]:
        values = _numbers(text, field)
        if len(values) == 1:
            values *= count
        if len(values) != count:
            raise serializers.ValidationError({field: f"Give one value or {count}, one per lead."})
        if field == "gain" and not all(value > 0 for value in values):
            raise serializers.ValidationError({"gain": "Gains are positive."})
        return values


def _lead_list(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


class WindowQuerySerializer(serializers.Serializer[None]):
    start = TimeField(
        required=False, help_text=f"From this time on (default: the start). {TIME_HELP}"
    )
    end = TimeField(
        edge="end",
        required=False,
        help_text="Before this time (default: the end); a date includes that day.",
    )
    leads = serializers.CharField(
        required=False, help_text="Lead names, comma-separated (default: all)."
    )
    max_points = serializers.IntegerField(
        required=False,
        min_value=MIN_POINTS,
        max_value=MAX_POINTS,
        help_text="At most this many points per lead: min/max pairs that keep every peak.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        validated_window(attrs)
        if "leads" in attrs:
            attrs["leads"] = _lead_list(attrs["leads"])
        return attrs


class ExportQuerySerializer(WindowQuerySerializer):
    format = serializers.ChoiceField(choices=EXPORT_FORMATS)
    max_points = None  # type: ignore[assignment]


class SpanQuerySerializer(serializers.Serializer[None]):
    """What of a recording's beats or events to answer: from `start`, before `end`."""

    start = TimeField(required=False, help_text="From this time on.")
    end = TimeField(edge="end", required=False, help_text="Before this time.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return validated_window(attrs)


class DataQuerySerializer(serializers.Serializer[None]):
    patient = serializers.UUIDField()
    device = serializers.UUIDField(required=False)
    kind = serializers.ChoiceField(choices=RecordingKind.choices, required=False)
    start = TimeField()
    end = TimeField(edge="end")
    max_points = serializers.IntegerField(
        required=False,
        min_value=MIN_POINTS,
        max_value=MAX_POINTS,
        help_text="Per recording: at most this many points per lead (min/max pairs).",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return validated_window(attrs)
