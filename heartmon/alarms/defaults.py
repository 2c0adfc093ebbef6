"""The rules every organization starts with, from published monitor practice (a data migration
copies them for organizations made before alarms existed)."""

from typing import Any

from heartmon.alarms.models import AlarmRule, AlarmSettings, Condition, Priority

# Limits alarm strictly beyond them; extreme limits at or beyond them (SpO2 is reported in whole
# percent, so an extreme low of 84 is "below 85 %").
DEFAULT_RULES: dict[str, dict[str, Any]] = {
    Condition.HEART_RATE: {
        "low": 50,
        "high": 120,
        "priority": Priority.MEDIUM,
        "delay_seconds": 6,
        "clear_margin": 5,
        "clear_delay_seconds": 5,
        "extreme_low": 40,
        "extreme_high": 150,
        "extreme_delay_seconds": 2,
    },
    Condition.SPO2: {
        "low": 90,
        "priority": Priority.MEDIUM,
        "delay_seconds": 15,
        "clear_margin": 2,
        "clear_delay_seconds": 10,
        "extreme_low": 84,
        "extreme_delay_seconds": 5,
    },
    Condition.RESP_RATE: {
        "low": 8,
        "high": 25,
        "priority": Priority.MEDIUM,
        "delay_seconds": 15,
        "clear_margin": 2,
        "clear_delay_seconds": 10,
    },
    Condition.TEMPERATURE: {
        "low": 35.0,
        "high": 39.1,
        "priority": Priority.LOW,
        "delay_seconds": 60,
        "clear_margin": 0.2,
        "clear_delay_seconds": 60,
    },
}


def create_defaults(*, organization_id: Any) -> None:
    """The default rules and settings of an organization, unless it has them."""
    AlarmSettings.objects.get_or_create(organization_id=organization_id)
    AlarmRule.objects.bulk_create(
        [
            AlarmRule(organization_id=organization_id, metric=metric, **limits)
            for metric, limits in DEFAULT_RULES.items()
        ],
        ignore_conflicts=True,
    )
