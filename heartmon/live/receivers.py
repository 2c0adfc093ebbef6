"""What the lower apps announce after a commit, turned into live messages (`publish`)."""

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

import orjson
from django.utils import timezone

from heartmon.alarms.models import Alarm, Step
from heartmon.alarms.serializers import AlarmSerializer
from heartmon.alarms.signals import alarm_changed
from heartmon.clinic.models import Admission
from heartmon.clinic.signals import admission_changed
from heartmon.live import places
from heartmon.live.publish import publish, publish_alarm, publish_vitals
from heartmon.live.streams import Stream
from heartmon.telemetry.signals import readings_stored

# Readings measured longer ago than this are history (a backfill, an ECG upload's derived heart
# rate), not what the patient shows now: they are stored, not pushed.
VITALS_MAX_AGE = timedelta(minutes=5)
# The alarm steps a watcher sees (notifications and reminders are the notifiers' business).
PUSHED_STEPS = frozenset(
    {Step.RAISED, Step.ESCALATED, Step.ACKNOWLEDGED, Step.CLEARED, Step.CLOSED}
)


def connect() -> None:
    readings_stored.connect(on_readings_stored, dispatch_uid="live.vitals")
    admission_changed.connect(on_admission_changed, dispatch_uid="live.admissions")
    alarm_changed.connect(on_alarm_changed, dispatch_uid="live.alarms")


def on_alarm_changed(*, alarm_id: uuid.UUID, step: str, **_: Any) -> None:
    """On the organization's alarm feed and the patient's stream, as the alarms API shows it."""
    if step not in PUSHED_STEPS:
        return
    alarm = Alarm.objects.get(pk=alarm_id)
    shown = orjson.loads(orjson.dumps(AlarmSerializer(alarm).data))  # plain JSON for the layer
    publish_alarm(
        organization_id=alarm.organization_id,
        event=str(step),
        alarm=shown,
        patient_id=alarm.patient_id,
    )


def on_readings_stored(*, rows: Sequence[tuple[Any, ...]], source: str, **_: Any) -> None:
    since = timezone.now() - VITALS_MAX_AGE
    for patient_id, values in latest_values(rows, since=since, source=source).items():
        publish_vitals(patient_id, values)


def latest_values(
    rows: Sequence[tuple[Any, ...]], *, since: datetime, source: str
) -> dict[uuid.UUID, dict[str, dict[str, Any]]]:
    """Per patient, the latest value of each metric measured since `since`."""
    latest: dict[uuid.UUID, dict[str, tuple[float, datetime]]] = {}
    for _device, patient_id, metric, value, recorded_at in rows:
        if patient_id is None or recorded_at < since:
            continue
        metrics = latest.setdefault(patient_id, {})
        if metric not in metrics or metrics[metric][1] < recorded_at:
            metrics[metric] = (value, recorded_at)
    return {
        patient_id: {
            metric: {"value": value, "at": at.isoformat(), "source": source}
            for metric, (value, at) in metrics.items()
        }
        for patient_id, metrics in latest.items()
    }


def on_admission_changed(
    *, admission_id: uuid.UUID, event: str, from_place_id: uuid.UUID | None = None, **_: Any
) -> None:
    """On the patient's stream and on the stream of every place the patient came into or left.
    `under` lists where the patient is now (nothing once discharged), so a consumer watching a
    place knows whether to follow the patient."""
    admission = Admission.objects.get(pk=admission_id)
    here = places.chain(admission.place_id)
    message = {
        "type": "admission",
        "event": event,
        "admission": str(admission.pk),
        "patient": str(admission.patient_id),
        "place": str(admission.place_id),
        "from_place": str(from_place_id) if from_place_id else None,
        "under": [] if event == "discharged" else [str(place) for place in here],
    }
    publish(Stream.patient(admission.patient_id), message)
    for place_id in dict.fromkeys([*here, *places.chain(from_place_id)]):
        publish(Stream.place(place_id), message)
