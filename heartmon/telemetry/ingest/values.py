"""What a reading's value may be: a finite number within its metric's physiological bounds. Both
ways of checking a batch, and the heart-rate serializer, hold values to these bounds."""

import math
from typing import Any

from heartmon.telemetry.models import ACVPU, Metric

# A generic value only has to be a finite number.
# Keyed by plain strings: an enum member's hash is computed in Python, 20x slower on this path.
BOUNDS: dict[str, tuple[float, float] | None] = {
    Metric.HEART_RATE.value: (20, 300),
    Metric.SPO2.value: (50, 100),
    Metric.RESP_RATE.value: (1, 100),
    Metric.TEMPERATURE.value: (25, 45),
    Metric.SYSTOLIC_BP.value: (40, 300),
    Metric.DIASTOLIC_BP.value: (20, 200),
    Metric.CONSCIOUSNESS.value: (0, 4),
    Metric.OXYGEN_FLOW.value: (0, 60),
    Metric.GENERIC.value: None,
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
    bounds = BOUNDS[metric]
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        raise ValueError(f"{metric} must be between {bounds[0]:g} and {bounds[1]:g}.")
    return value
