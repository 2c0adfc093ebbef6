from typing import Any

from django import forms
from django_filters import rest_framework as filters

from heartmon.ecg.models import ProcessingStatus, Recording, RecordingFormat, RecordingKind
from heartmon.ecg.serializers import TIME_HELP, parse_moment


class MomentField(forms.Field):
    def to_python(self, value: Any) -> Any:
        if value in self.empty_values:
            return None
        try:
            return parse_moment(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc


class MomentFilter(filters.Filter):
    field_class = MomentField


class RecordingFilter(filters.FilterSet):
    # Plain ids, not choices among all rows: "no such choice" would tell whether an id exists.
    patient = filters.UUIDFilter(field_name="patient_id")
    device = filters.UUIDFilter(field_name="device_id")
    kind = filters.ChoiceFilter(choices=RecordingKind.choices)
    format = filters.ChoiceFilter(choices=RecordingFormat.choices)
    status = filters.ChoiceFilter(choices=ProcessingStatus.choices)
    data_id = filters.CharFilter()
    start = MomentFilter(
        field_name="end_time",
        lookup_expr="gt",
        help_text=f"Recordings with samples from this time on. {TIME_HELP}",
    )
    end = MomentFilter(
        field_name="start_time", lookup_expr="lt", help_text="Recordings with samples before this."
    )

    class Meta:
        model = Recording
        fields: list[str] = []
