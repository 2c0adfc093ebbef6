"""What an actor may see of the ECG recordings."""

from typing import Any

from django.db.models import QuerySet

from heartmon.core.actor import Actor
from heartmon.ecg.models import Recording


def recordings_for(actor: Actor) -> QuerySet[Recording]:
    return Recording.objects.visible_to(actor)


def recordings_between(actor: Actor, query: dict[str, Any]) -> list[Recording]:
    """Reference 000's question: a patient's recordings (from one device, of one kind) that
    overlap the window, oldest first."""
    recordings = (
        Recording.objects.overlapping(query["start"], query["end"])
        .visible_to(actor)
        .filter(patient_id=query["patient"])
    )
    if query.get("device"):
        recordings = recordings.filter(device_id=query["device"])
    if query.get("kind"):
        recordings = recordings.filter(kind=query["kind"])
    return list(recordings.order_by("start_time", "id"))
