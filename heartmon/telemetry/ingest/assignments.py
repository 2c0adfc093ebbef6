"""Whose readings they are: a device's reading belongs to the patient the device was assigned to
when it was measured (`recorded_at`), not to the one it is on when the reading arrives and never
to one an item names. A reading from a time the device was on no one belongs to no patient."""

import uuid
from collections.abc import Collection
from datetime import datetime

from django.db.models import Q

from heartmon.devices.models import DeviceAssignment

# Start, end (None while open) and patient of one assignment.
Span = tuple[datetime, datetime | None, uuid.UUID]


class Assignments:
    """Some devices' assignments over a stretch of time, asked who a device was on at an instant.
    A device has a handful at most in any batch's stretch, so a scan is all it takes."""

    def __init__(self, spans: dict[uuid.UUID, list[Span]]) -> None:
        self._spans = spans

    def patient_at(self, device_id: uuid.UUID, moment: datetime) -> uuid.UUID | None:
        for started, ended, patient_id in self._spans.get(device_id, ()):
            if started <= moment and (ended is None or moment < ended):
                return patient_id
        return None


def assignments_during(
    device_ids: Collection[uuid.UUID], *, first: datetime, last: datetime
) -> Assignments:
    """The devices' assignments that overlap `first` to `last` (both included), in one query."""
    overlapping = DeviceAssignment.objects.filter(
        Q(ended_at__isnull=True) | Q(ended_at__gt=first),
        device_id__in=device_ids,
        started_at__lte=last,
    ).values_list("device_id", "started_at", "ended_at", "patient_id")
    spans: dict[uuid.UUID, list[Span]] = {}
    for device_id, started, ended, patient_id in overlapping:
        spans.setdefault(device_id, []).append((started, ended, patient_id))
    return Assignments(spans)
