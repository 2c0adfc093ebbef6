from django_filters import rest_framework as filters

from heartmon.core.time import TIME_HELP, MomentFilter, WindowForm
from heartmon.ecg.models import ProcessingStatus, Recording, RecordingFormat, RecordingKind


class RecordingFilter(filters.FilterSet):
    # Plain ids, not choices among all rows: "no such choice" would tell whether an id exists.
    patient = filters.UUIDFilter(field_name="patient_id")
    device = filters.UUIDFilter(field_name="device_id")
    kind = filters.ChoiceFilter(choices=RecordingKind.choices)
    # Not `format`: DRF reads ?format= as the renderer to answer with.
    file_format = filters.ChoiceFilter(
        field_name="format",
        choices=RecordingFormat.choices,
        help_text="The uploaded file's format.",
    )
    status = filters.ChoiceFilter(choices=ProcessingStatus.choices)
    data_id = filters.CharFilter()
    start = MomentFilter(
        edge="start",
        field_name="end_time",
        lookup_expr="gt",
        help_text=f"Recordings with samples from this time on. {TIME_HELP}",
    )
    end = MomentFilter(
        edge="end",
        field_name="start_time",
        lookup_expr="lt",
        help_text="Recordings with samples before this; a date includes that day.",
    )

    class Meta:
        model = Recording
        fields: list[str] = []
        form = WindowForm
