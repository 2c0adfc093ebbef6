"""What a reading's value may be: a number within its metric's physiological bounds. Both ways of
checking a batch, and the heart-rate serializer, hold values to these bounds."""

import math
from typing import Any

from heartmon.telemetry.models import ACVPU, Metric

# A generic value may be any number small enough that every sum, mean and sum of squares the
# database computes over readings stays finite (a double overflows past 1.8e308, the squares that
# PostgreSQL's avg() keeps past 1.3e154): two values near 1e308 in one minute overflowed the
# per-minute rollup and failed their whole batch.
GENERIC_LIMIT = 1e9
# Keyed by plain strings: an enum member's hash is computed in Python, 20x slower on this path.
BOUNDS: dict[str, tuple[float, float]] = {
    Metric.HEART_RATE.value: (20, 300),
    Metric.SPO2.value: (50, 100),
    Metric.RESP_RATE.value: (1, 100),
    Metric.TEMPERATURE.value: (25, 45),
    Metric.SYSTOLIC_BP.value: (40, 300),
    Metric.DIASTOLIC_BP.value: (20, 200),
    Metric.CONSCIOUSNESS.value: (0, 4),
    Metric.OXYGEN_FLOW.value: (0, 60),
    Metric.GENERIC.value: (-GENERIC_LIMIT, GENERIC_LIMIT),
}


def check_value(metric: str, raw: Any) -> float:
    """The value as a float within the metric's bounds; raises ValueError with the message.
    Consciousness may also be given as its ACVPU letter."""
    if metric == Metric.CONSCIOUSNESS and isinstance(raw, str):
        if raw.upper() not in ACVPU or len(raw) != 1:
            raise ValueError(f"Give one of {', '.join(ACVPU)} (or 0-4).")
        return float(ACVPU.index(raw.upper()))
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ValueError("A number is required.")
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError("Value must be a finite number.")
    low, high = BOUNDS[metric]
    if not low <= value <= high:
        raise ValueError(f"{metric} must be between {low:g} and {high:g}.")
    return value
