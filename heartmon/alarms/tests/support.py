"""Readings for the alarm tests: series one second apart, ending at the frozen clock."""

from datetime import timedelta

from heartmon.telemetry.tests.seed import NOW


def series(values, *, metric="heart_rate", end=NOW, step=1.0):
    """Items one `step` apart, the last at `end`."""
    count = len(values)
    return [
        {
            "metric": metric,
            "value": value,
            "recorded_at": (end - timedelta(seconds=step * (count - 1 - i))).isoformat(),
        }
        for i, value in enumerate(values)
    ]
