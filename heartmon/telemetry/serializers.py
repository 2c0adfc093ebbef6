from typing import Any

from django.utils import timezone
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from heartmon.core.time import MeasuredTimeField, TimeField, validated_window
from heartmon.telemetry.ingest import check_value
from heartmon.telemetry.models import ACVPU, Metric, Reading
from heartmon.telemetry.queries import DEFAULT_SPAN, MAX_BUCKET_MINUTES, STATS


def _something_to_change(attrs: dict[str, Any], fields: str) -> dict[str, Any]:
    if not attrs:
        raise serializers.ValidationError(f"Send the {fields} to change.")
    return attrs


class ReadingSerializer(serializers.ModelSerializer[Reading]):
    device = serializers.UUIDField(source="device_id", read_only=True)
    patient = serializers.UUIDField(source="patient_id", read_only=True, allow_null=True)

    class Meta:
        model = Reading
        fields = [
            "id",
            "device",
            "patient",
            "metric",
            "value",
            "recorded_at",
            "received_at",
            "source",
        ]
        read_only_fields = fields


class ReadingCorrectionSerializer(serializers.Serializer[Reading]):
    """A stored reading's value (within the bounds of the context's `metric`) or time."""

    value = serializers.FloatField(required=False)
    recorded_at = MeasuredTimeField(required=False)

    def validate_value(self, value: float) -> float:
        try:
            return check_value(self.context["metric"], value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return _something_to_change(attrs, "value or recorded_at")


class HeartRateSerializer(serializers.ModelSerializer[Reading]):
    """A heart-rate reading in the reference systems' shape."""

    patient = serializers.UUIDField(source="patient_id", read_only=True, allow_null=True)
    device = serializers.UUIDField(source="device_id", read_only=True)
    bpm = serializers.FloatField(source="value", read_only=True)

    class Meta:
        model = Reading
        fields = ["id", "patient", "device", "bpm", "recorded_at", "source"]
        read_only_fields = fields


class HeartRateInputSerializer(serializers.Serializer[None]):
    """Documents POST /heart-rates/; the body is checked like a batch item."""

    patient = serializers.UUIDField(
        required=False,
        help_text="Required from people. Devices: the patient they were on at recorded_at (the "
        "default); naming another is a 400.",
    )
    device = serializers.UUIDField(
        required=False,
        help_text="From people: the device the patient has assigned by default. Devices: itself.",
    )
    bpm = serializers.FloatField(min_value=20, max_value=300)
    recorded_at = MeasuredTimeField()


class HeartRateCorrectionSerializer(serializers.Serializer[Reading]):
    bpm = serializers.FloatField(required=False)
    recorded_at = MeasuredTimeField(required=False)

    def validate_bpm(self, value: float) -> float:
        try:
            return check_value(Metric.HEART_RATE, value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return _something_to_change(attrs, "bpm or recorded_at")


class ReadingItemSerializer(serializers.Serializer[None]):
    """Documents a batch item in our shape (reference 004's shape is accepted as well)."""

    metric = serializers.ChoiceField(choices=Metric.choices)
    value = serializers.FloatField()
    recorded_at = MeasuredTimeField()
    device = serializers.UUIDField(required=False, help_text="Required from people.")
    patient = serializers.UUIDField(
        required=False,
        help_text="Default: the patient the device was assigned to at recorded_at. Naming "
        "another is refused; people may name one for a time the device was on no one.",
    )


class RejectionSerializer(serializers.Serializer[None]):
    index = serializers.IntegerField(help_text="Position of the item in the batch.")
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField())
    )


class IngestResultSerializer(serializers.Serializer[None]):
    stored = serializers.IntegerField()
    duplicates = serializers.IntegerField(help_text="Already stored: skipped.")
    rejected = RejectionSerializer(many=True)


class AggregateQuerySerializer(serializers.Serializer[None]):
    device = serializers.UUIDField(required=False)
    patient = serializers.UUIDField(required=False)
    metric = serializers.ChoiceField(choices=Metric.choices, default=Metric.HEART_RATE)
    start = TimeField(
        edge="start", required=False, help_text="Default: 24 hours before end. Also YYYY-MM-DD."
    )
    end = TimeField(
        edge="end",
        required=False,
        help_text="Exclusive; default: now. YYYY-MM-DD includes that whole day.",
    )
    bucket_minutes = serializers.IntegerField(min_value=1, max_value=MAX_BUCKET_MINUTES, default=5)
    stats = serializers.CharField(
        default="mean",
        help_text=f"Comma-separated, among {', '.join(STATS)}. The mean is always `value`.",
    )

    def validate_stats(self, value: str) -> list[str]:
        names = [name.strip() for name in value.split(",") if name.strip()]
        unknown = sorted(set(names) - set(STATS))
        if unknown:
            raise serializers.ValidationError(
                f"Unknown statistics {', '.join(unknown)}; choose among {', '.join(STATS)}."
            )
        return list(dict.fromkeys(names))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs.setdefault("end", timezone.now())
        # On a whole minute, so that PostgreSQL answers the default window from the rollup.
        attrs.setdefault("start", (attrs["end"] - DEFAULT_SPAN).replace(second=0, microsecond=0))
        return validated_window(attrs)


AGGREGATE_RESPONSE = inline_serializer(
    "Aggregate",
    {
        "data": inline_serializer(
            "DeviceAggregate",
            {
                "device_id": serializers.UUIDField(),
                "customer_id": serializers.UUIDField(help_text="The device's organization."),
                "from": serializers.DateTimeField(),
                "to": serializers.DateTimeField(),
                "aggregation_size_minutes": serializers.IntegerField(),
                "aggregated_values": inline_serializer(
                    "AggregatedValue",
                    {
                        "from": serializers.DateTimeField(help_text="Start of the bucket."),
                        "value": serializers.FloatField(help_text="The mean."),
                        "min": serializers.FloatField(required=False),
                        "max": serializers.FloatField(required=False),
                        "count": serializers.IntegerField(required=False),
                    },
                    many=True,
                ),
            },
            many=True,
            help_text="Devices without readings in the window are left out.",
        )
    },
)


class ObservationsSerializer(serializers.Serializer[None]):
    """Vital signs taken by hand at one time; at least one. Each is checked like a reading of
    its metric when stored."""

    recorded_at = MeasuredTimeField()
    heart_rate = serializers.FloatField(required=False, help_text="bpm")
    spo2 = serializers.FloatField(required=False, help_text="%")
    resp_rate = serializers.FloatField(required=False, help_text="breaths/min")
    temperature = serializers.FloatField(required=False, help_text="°C")
    systolic_bp = serializers.FloatField(required=False, help_text="mmHg")
    diastolic_bp = serializers.FloatField(required=False, help_text="mmHg")
    consciousness = serializers.ChoiceField(
        choices=list(ACVPU),
        required=False,
        help_text="ACVPU: alert, new confusion, voice, pain, unresponsive.",
    )
    oxygen_flow = serializers.FloatField(
        required=False, help_text="Supplemental oxygen in L/min; 0 is on air."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if len(attrs) < 2:
            raise serializers.ValidationError("Send at least one vital sign.")
        return attrs
