from typing import Any, Literal

from django import forms
from django_filters import rest_framework as filters

from heartmon.telemetry.models import Metric, Reading, Source
from heartmon.telemetry.queries import check_window, parse_moment

WINDOW_HELP = {
    "start": "From this time on: YYYY-MM-DD (00:00 UTC), ISO 8601 or epoch seconds/ms.",
    "end": "Before this time (exclusive); YYYY-MM-DD includes that whole day.",
}


class MomentField(forms.Field):
    def __init__(self, *, edge: Literal["start", "end"], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.edge = edge

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        try:
            return parse_moment(str(value), edge=self.edge)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class MomentFilter(filters.Filter):
    field_class = MomentField


class WindowForm(forms.Form):
    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        try:
            check_window(cleaned.get("start"), cleaned.get("end"))
        except ValueError as exc:
            self.add_error("end", str(exc))
        return cleaned


class WindowFilter(filters.FilterSet):
    # Plain ids, not choices among all rows: "no such choice" would tell whether an id exists.
    patient = filters.UUIDFilter(field_name="patient_id")
    device = filters.UUIDFilter(field_name="device_id")
    source = filters.ChoiceFilter(choices=Source.choices)
    start = MomentFilter(
        field_name="recorded_at", lookup_expr="gte", edge="start", help_text=WINDOW_HELP["start"]
    )
    end = MomentFilter(
        field_name="recorded_at", lookup_expr="lt", edge="end", help_text=WINDOW_HELP["end"]
    )

    class Meta:
        model = Reading
        fields: list[str] = []
        form = WindowForm


class ReadingFilter(WindowFilter):
    metric = filters.ChoiceFilter(choices=Metric.choices)


class HeartRateFilter(WindowFilter):
    device_id = filters.UUIDFilter(field_name="device_id", help_text="Same as device.")
