from django_filters import rest_framework as filters

from heartmon.core.time import MomentFilter, WindowForm
from heartmon.telemetry.models import Metric, Reading, Source


class WindowFilter(filters.FilterSet):
    # Plain ids, not choices among all rows: "no such choice" would tell whether an id exists.
    patient = filters.UUIDFilter(field_name="patient_id")
    device = filters.UUIDFilter(field_name="device_id")
    source = filters.ChoiceFilter(choices=Source.choices)
    start = MomentFilter(field_name="recorded_at", lookup_expr="gte", edge="start")
    end = MomentFilter(field_name="recorded_at", lookup_expr="lt", edge="end")

    class Meta:
        model = Reading
        fields: list[str] = []
        form = WindowForm


class ReadingFilter(WindowFilter):
    metric = filters.ChoiceFilter(choices=Metric.choices)


class HeartRateFilter(WindowFilter):
    device_id = filters.UUIDFilter(field_name="device_id", help_text="Same as device.")
