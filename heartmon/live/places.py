"""Where patients are, as the live streams need it: a place's ancestors (bed, ward, hospital),
and the patients admitted anywhere under a place. Places nest at most four deep (hospital,
clinic, ward, bed)."""

import uuid

from django.db.models import Q

from heartmon.clinic.models import Admission, Place

DEPTH = 4
UP = "__".join(["parent"] * (DEPTH - 1))


def chain(place_id: uuid.UUID | None) -> list[uuid.UUID]:
    """The place and every place above it, nearest first; empty for None."""
    if place_id is None:
        return []
    place: Place | None = Place.objects.select_related(UP).get(pk=place_id)
    ids = []
    while place is not None:
        ids.append(place.pk)
        place = place.parent
    return ids


def patients_under(place: Place) -> set[uuid.UUID]:
    """Patients with an open admission at the place or anywhere below it."""
    under = Q()
    for depth in range(DEPTH):
        under |= Q(**{"place" + "__parent" * depth: place})
    admissions = Admission.objects.filter(under, discharged_at__isnull=True)
    return set(admissions.values_list("patient_id", flat=True))
