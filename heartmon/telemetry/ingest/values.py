"""What a reading's value may be: a finite number within its metric's physiological bounds. Both
ways of checking a batch, and the heart-rate serializer, hold values to these bounds."""

import math
from typing import Any

from heartmon.telemetry.models import Metric

# A generic value only has to be a finite number.
# Keyed by plain strings: an enum member's hash is computed in Python, 20x slower on this path.
BOUNDS: dict[str, tuple[float, float] | None] = {
    Metric.HEART_RATE.value: (20, 300),
    Metric.SPO2.value: (50, 100),
    Metric.RESP_RATE.value: (1, 100),
    Metric.TEMPERATURE.value: (25, 45),
    Metric.GENERIC.value: None,
}


def check_value(metric: str, raw: Any) -> float:
    """The value as a float within the metric's bounds; raises ValueError with the message."""
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ValueError("A number is required.")
    value = float(raw)
    if not math.isfinite(value):
        raise ValueError("Value must be a finite number.")
    bounds = BOUNDS[metric]
    if bounds is not None and not bounds[0] <= value <= bounds[1]:
        raise ValueError(f"{metric} must be between {bounds[0]:g} and {bounds[1]:g}.")
    return value
