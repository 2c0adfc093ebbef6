"""Telemetry's probes of the role table (see `accounts/tests/role_probes.py`) and its world: a
heart rate from the devices' monitor of the admitted patient, an hour ago. Device keys send
readings outside the table; people go by it."""

from datetime import timedelta
from typing import Any

from django.db.models import Model
from django.utils import timezone

from heartmon.accounts.tests.role_probes import Probe, World
from heartmon.telemetry.ingest import ReadingRow, store_readings
from heartmon.telemetry.models import Metric, Reading, Source

TARGETS = {"readings": "reading"}


def _an_hour_ago() -> str:
    return (timezone.now() - timedelta(hours=1)).isoformat()


def _batch(world: World) -> Any:
    """A JSON array: the batch endpoint takes no object."""
    return [
        {
            "metric": "heart_rate",
            "value": 72,
            "recorded_at": _an_hour_ago(),
            "device": world.id("device"),
        }
    ]


def _heart_rate(world: World) -> dict[str, Any]:
    return {"patient": world.id("patient"), "bpm": 72, "recorded_at": _an_hour_ago()}


PROBES: dict[tuple[str, str], list[Probe]] = {
    ("readings", "read"): [
        Probe("reading-list", "get", "list", 200, row="reading"),
        Probe("reading-list", "get", "list", 200, query="format=csv"),
        Probe("reading-detail", "get", "object", 200),
        Probe("reading-aggregate", "get", "list", 200),
        Probe("heart-rate-list", "get", "list", 200, row="reading"),
        Probe("heart-rate-detail", "get", "object", 200),
    ],
    ("readings", "write"): [
        # Another organization's device is rejected item by item in a 200 answer.
        Probe("reading-list", "post", "create", 200, _batch),
        Probe("heart-rate-list", "post", "create", 201, _heart_rate, foreign_field="patient"),
    ],
    ("readings", "observe"): [
        Probe(
            "patient-observations",
            "post",
            "object",
            201,
            {"recorded_at": "2026-01-01T08:00:00Z", "spo2": 95},
            url={"patient_pk": "patient"},
        ),
    ],
    ("readings", "correct"): [
        Probe("reading-detail", "patch", "object", 200, {"value": 74}),
        Probe("reading-detail", "delete", "object", 204),
        Probe("heart-rate-detail", "patch", "object", 200, {"bpm": 74}),
        Probe("heart-rate-detail", "delete", "object", 204),
    ],
}


def build(objects: dict[str, Any]) -> dict[str, Model]:
    """Needs the devices' world: `device`, assigned to `patient`."""
    device, patient = objects["device"], objects["patient"]
    recorded_at = timezone.now() - timedelta(hours=2)
    row = ReadingRow(device.pk, patient.pk, Metric.HEART_RATE, 72.0, recorded_at)
    store_readings([row], source=Source.DEVICE)
    return {"reading": Reading.objects.get(device=device, recorded_at=recorded_at)}
