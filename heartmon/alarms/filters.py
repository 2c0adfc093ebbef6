from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from heartmon.alarms.models import RULE_METRIC_CHOICES, Alarm, AlarmRule, Kind, Priority
from heartmon.core.time import MomentFilter

# hospital > clinic > ward > bed: a place's descendants are at most three levels down.
_UNDER = ("place", "place__parent", "place__parent__parent", "place__parent__parent__parent")


def _anywhere_under(queryset: QuerySet, name: str, value: object) -> QuerySet:
    anywhere_under = Q()
    for path in _UNDER:
        anywhere_under |= Q(**{f"{path}_id": value})
    return queryset.filter(anywhere_under)


class AlarmFilter(filters.FilterSet):
    state = filters.ChoiceFilter(
        choices=[("open", "Open"), ("closed", "Closed")], method="filter_state"
    )
    priority = filters.ChoiceFilter(choices=Priority.choices)
    kind = filters.ChoiceFilter(choices=Kind.choices)
    # Plain ids, not choices among all rows: "no such choice" would tell whether an id exists.
    patient = filters.UUIDFilter(field_name="patient_id")
    place = filters.UUIDFilter(method=_anywhere_under, help_text="This place or any place in it.")
    since = MomentFilter(field_name="raised_at", lookup_expr="gte", edge="start")

    class Meta:
        model = Alarm
        fields = ["condition"]

    def filter_state(self, queryset: QuerySet[Alarm], name: str, value: str) -> QuerySet[Alarm]:
        return queryset.filter(closed_at__isnull=value == "open")


class AlarmRuleFilter(filters.FilterSet):
    level = filters.ChoiceFilter(
        choices=[("organization", "Organization"), ("place", "Place"), ("patient", "Patient")],
        method="filter_level",
    )
    metric = filters.ChoiceFilter(choices=RULE_METRIC_CHOICES)
    place = filters.UUIDFilter(field_name="place_id")
    patient = filters.UUIDFilter(field_name="patient_id")

    class Meta:
        model = AlarmRule
        fields: list[str] = []

    def filter_level(
        self, queryset: QuerySet[AlarmRule], name: str, value: str
    ) -> QuerySet[AlarmRule]:
        if value == "patient":
            return queryset.filter(patient__isnull=False)
        if value == "place":
            return queryset.filter(place__isnull=False)
        return queryset.filter(place__isnull=True, patient__isnull=True)
