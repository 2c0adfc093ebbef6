"""The device settings document: its JSON schema, its defaults, and the checks JSON Schema cannot
express (lead count of the device, low below high)."""

from typing import Any

from jsonschema import Draft202012Validator

LEADS = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Device settings",
    "type": "object",
    "additionalProperties": False,
    "required": ["sampling_rate_hz", "enabled_leads", "upload_interval_s", "alarm_limits"],
    "properties": {
        "sampling_rate_hz": {
            "type": "integer",
            "minimum": 50,
            "maximum": 10000,
            "description": "ECG samples per second and lead.",
        },
        "enabled_leads": {
            "type": "array",
            "items": {"enum": LEADS},
            "minItems": 1,
            "maxItems": 12,
            "uniqueItems": True,
            "description": "Leads recorded; at most the device's lead_count.",
        },
        "upload_interval_s": {
            "type": "integer",
            "minimum": 1,
            "maximum": 3600,
            "description": "Seconds between uploads.",
        },
        "alarm_limits": {
            "type": "object",
            "additionalProperties": False,
            "required": ["heart_rate_low", "heart_rate_high", "spo2_low"],
            "description": "Limits the device alarms on by itself (bpm, %).",
            "properties": {
                "heart_rate_low": {"type": "integer", "minimum": 20, "maximum": 300},
                "heart_rate_high": {"type": "integer", "minimum": 20, "maximum": 300},
                "spo2_low": {"type": "integer", "minimum": 50, "maximum": 100},
            },
        },
    },
}
_VALIDATOR = Draft202012Validator(SCHEMA)


def defaults(lead_count: int) -> dict[str, Any]:
    """What a device runs with before anyone has saved settings for it."""
    return {
        "sampling_rate_hz": 250,
        "enabled_leads": LEADS[:lead_count],
        "upload_interval_s": 10,
        "alarm_limits": {"heart_rate_low": 40, "heart_rate_high": 140, "spo2_low": 90},
    }


def _path(parts: Any) -> str:
    return ".".join(["document", *(str(part) for part in parts)])


def errors_in(document: Any, *, lead_count: int) -> dict[str, list[str]]:
    """Errors by field ({"document.alarm_limits.spo2_low": [...]}); empty when valid."""
    errors: dict[str, list[str]] = {}
    for error in sorted(_VALIDATOR.iter_errors(document), key=lambda e: list(e.absolute_path)):
        errors.setdefault(_path(error.absolute_path), []).append(error.message)
    if errors:
        return errors
    if len(document["enabled_leads"]) > lead_count:
        errors["document.enabled_leads"] = [
            f"This device has {lead_count} lead(s); {len(document['enabled_leads'])} are enabled."
        ]
    limits = document["alarm_limits"]
    if limits["heart_rate_low"] >= limits["heart_rate_high"]:
        errors["document.alarm_limits.heart_rate_low"] = [
            "heart_rate_low must be below heart_rate_high."
        ]
    return errors
