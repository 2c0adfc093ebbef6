from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

from heartmon.clinic.models import Admission, CareTeamMember, Patient, Place
from heartmon.core.time import MomentFilter

# hospital > clinic > ward > bed: a place's descendants are at most three levels down.
_UNDER = ("place", "place__parent", "place__parent__parent", "place__parent__parent__parent")


class PlaceFilter(filters.FilterSet):
    # Plain ids, not choices among all rows: "no such choice" would tell whether an id exists.
    parent = filters.UUIDFilter(field_name="parent_id")
    top_level = filters.BooleanFilter(field_name="parent", lookup_expr="isnull")
    occupied = filters.BooleanFilter(help_text="Beds held by an open admission (true) or free.")

    class Meta:
        model = Place
        fields = ["kind"]


class PatientFilter(filters.FilterSet):
    born_after = filters.DateFilter(field_name="birth_date", lookup_expr="gte")
    born_before = filters.DateFilter(field_name="birth_date", lookup_expr="lte")

    class Meta:
        model = Patient
        fields = ["sex", "patient_number"]


class CareTeamFilter(filters.FilterSet):
    class Meta:
        model = CareTeamMember
        fields = ["role"]


class AdmissionFilter(filters.FilterSet):
    open = filters.BooleanFilter(field_name="discharged_at", lookup_expr="isnull")
    place = filters.UUIDFilter(method="filter_place", help_text="This place or any place in it.")
    patient = filters.UUIDFilter(field_name="patient_id")
    attending = filters.UUIDFilter(field_name="attending_id")
    admitted_after = MomentFilter(field_name="admitted_at", lookup_expr="gte", edge="start")
    admitted_before = MomentFilter(field_name="admitted_at", lookup_expr="lt", edge="end")

    class Meta:
        model = Admission
        fields: list[str] = []

    def filter_place(self, queryset: QuerySet[Admission], name: str, value: object) -> QuerySet:
        anywhere_under = Q()
        for path in _UNDER:
            anywhere_under |= Q(**{f"{path}_id": value})
        return queryset.filter(anywhere_under)
