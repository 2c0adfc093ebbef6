from datetime import timedelta
from typing import Any

from rest_framework import serializers

from heartmon.alarms.engine import Limits
from heartmon.alarms.models import (
    LIMIT_FIELDS,
    RULE_METRIC_CHOICES,
    Alarm,
    AlarmEvent,
    AlarmRule,
    Priority,
)
from heartmon.clinic.models import Patient, Place
from heartmon.core.fields import VisibleIdField, VisibleIdsModelSerializer
from heartmon.core.time import TimeField, validated_window

MAX_REPLAY = timedelta(days=31)

RULE_FIELDS = [
    "id",
    "level",
    "metric",
    "place",
    "patient",
    *LIMIT_FIELDS,
    "updated_by",
    "updated_at",
]


class AlarmRuleSerializer(VisibleIdsModelSerializer):
    """A rule. Its level (organization default, place or patient override) and metric are set
    when it is made; a patient's override needs a reason."""

    level = serializers.CharField(read_only=True)

    class Meta:
        model = AlarmRule
        fields = RULE_FIELDS
        read_only_fields = ["id", "level", "updated_by", "updated_at"]
        validators: list[Any] = []  # a rule already made at the level is a 409 from the service
        extra_kwargs = {
            "clear_margin": {"min_value": 0},
            "delay_seconds": {"min_value": 0, "max_value": 3600},
            "extreme_delay_seconds": {"min_value": 0, "max_value": 3600},
            "clear_delay_seconds": {"min_value": 0, "max_value": 3600},
        }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is not None:
            fixed = {"metric", "place", "patient"} & set(attrs)
            if fixed:
                name = sorted(fixed)[0]
                raise serializers.ValidationError({name: ["Fixed once the rule is made."]})
        merged = {**self._current(), **attrs}
        if merged.get("place") is not None and merged.get("patient") is not None:
            raise serializers.ValidationError({"patient": ["A rule is a place's or a patient's."]})
        if self.instance is None and merged.get("place") is None and merged.get("patient") is None:
            raise serializers.ValidationError(
                {"place": ["Name a place or a patient: each organization has its defaults."]}
            )
        if merged.get("patient") is not None and not merged.get("reason"):
            raise serializers.ValidationError({"reason": ["Say why this patient's limits differ."]})
        _check_limits(merged)
        return attrs

    def _current(self) -> dict[str, Any]:
        if self.instance is None:
            return {}
        names = [name for name in RULE_FIELDS if name not in self.Meta.read_only_fields]
        return {name: getattr(self.instance, name) for name in names}


def _check_limits(rule: dict[str, Any]) -> None:
    low, high = rule.get("low"), rule.get("high")
    if low is None and high is None:
        raise serializers.ValidationError({"low": ["Give a low or a high limit."]})
    if low is not None and high is not None and low >= high:
        raise serializers.ValidationError({"high": ["The high limit must be above the low."]})
    extreme_low, extreme_high = rule.get("extreme_low"), rule.get("extreme_high")
    if extreme_low is not None and (low is None or extreme_low >= low):
        raise serializers.ValidationError({"extreme_low": ["Must be below the low limit."]})
    if extreme_high is not None and (high is None or extreme_high <= high):
        raise serializers.ValidationError({"extreme_high": ["Must be above the high limit."]})


class AlarmEventSerializer(serializers.ModelSerializer[AlarmEvent]):
    class Meta:
        model = AlarmEvent
        fields = ["step", "at", "by", "priority", "value", "note", "details"]
        read_only_fields = fields


ALARM_FIELDS = [
    "id",
    "state",
    "kind",
    "condition",
    "priority",
    "patient",
    "place",
    "device",
    "rule",
    "latching",
    "value",
    "active",
    "raised_at",
    "cleared_at",
    "acknowledged_at",
    "acknowledged_by",
    "reminded_at",
    "closed_at",
]


class AlarmSerializer(serializers.ModelSerializer[Alarm]):
    state = serializers.SerializerMethodField()

    class Meta:
        model = Alarm
        fields = ALARM_FIELDS
        read_only_fields = fields

    def get_state(self, alarm: Alarm) -> str:
        return "open" if alarm.is_open else "closed"


class AlarmDetailSerializer(AlarmSerializer):
    timeline = AlarmEventSerializer(many=True, read_only=True)

    class Meta(AlarmSerializer.Meta):
        fields = [*ALARM_FIELDS, "timeline"]
        read_only_fields = fields


class AcknowledgeSerializer(serializers.Serializer[None]):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class News2ScaleSerializer(serializers.Serializer[None]):
    scale2 = serializers.BooleanField()
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ProposedRuleSerializer(serializers.Serializer[None]):
    """Limits to try (the fields of a rule)."""

    metric = serializers.ChoiceField(choices=RULE_METRIC_CHOICES)
    low = serializers.FloatField(required=False, allow_null=True, default=None)
    high = serializers.FloatField(required=False, allow_null=True, default=None)
    extreme_low = serializers.FloatField(required=False, allow_null=True, default=None)
    extreme_high = serializers.FloatField(required=False, allow_null=True, default=None)
    clear_margin = serializers.FloatField(min_value=0, default=0)
    delay_seconds = serializers.FloatField(min_value=0, max_value=3600, default=0)
    extreme_delay_seconds = serializers.FloatField(min_value=0, max_value=3600, default=0)
    clear_delay_seconds = serializers.FloatField(min_value=0, max_value=3600, default=0)
    priority = serializers.ChoiceField(choices=Priority.choices)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        _check_limits(attrs)
        return attrs


class ReplaySerializer(serializers.Serializer[None]):
    """A patient or a place, a window of at most 31 days, and optionally the rules to try."""

    patient = VisibleIdField(queryset=Patient.objects.all(), required=False)
    place = VisibleIdField(queryset=Place.objects.all(), required=False)
    start = TimeField(edge="start")
    end = TimeField(edge="end")
    rules = ProposedRuleSerializer(many=True, required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("patient" in attrs) == ("place" in attrs):
            raise serializers.ValidationError({"patient": ["Name a patient or a place."]})
        validated_window(attrs)
        if attrs["end"] - attrs["start"] > MAX_REPLAY:
            raise serializers.ValidationError({"end": ["Replay at most 31 days at a time."]})
        rules = attrs.get("rules")
        if rules is not None and len({rule["metric"] for rule in rules}) != len(rules):
            raise serializers.ValidationError({"rules": ["One rule per metric."]})
        return attrs

    def proposed(self) -> dict[str, Limits] | None:
        rules = self.validated_data.get("rules")
        if rules is None:
            return None
        return {rule["metric"]: limits_of(rule) for rule in rules}


def limits_of(rule: dict[str, Any]) -> Limits:
    return Limits(
        low=rule["low"],
        high=rule["high"],
        priority=rule["priority"],
        delay=rule["delay_seconds"],
        clear_margin=rule["clear_margin"],
        clear_delay=rule["clear_delay_seconds"],
        extreme_low=rule["extreme_low"],
        extreme_high=rule["extreme_high"],
        extreme_delay=rule["extreme_delay_seconds"],
    )
