"""Readings stored straight through the storage core, for tests that read them back."""

from datetime import UTC, datetime, timedelta

from heartmon.telemetry.ingest import ReadingRow, store_readings
from heartmon.telemetry.models import Metric, Reading, Source

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # tests freeze the clock here
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def seed(
    device,
    patient=None,
    *,
    values=(72.0,),
    start=T0,
    step=timedelta(minutes=1),
    metric=Metric.HEART_RATE,
    source=Source.DEVICE,
) -> list[Reading]:
    """One reading per value, `step` apart from `start`; returns them in time order."""
    rows = [
        ReadingRow(device.pk, patient.pk if patient else None, metric, float(v), start + i * step)
        for i, v in enumerate(values)
    ]
    store_readings(rows, source=source)
    return list(
        Reading.objects.filter(
            device=device, metric=metric, recorded_at__in=[r.recorded_at for r in rows]
        )
    )
