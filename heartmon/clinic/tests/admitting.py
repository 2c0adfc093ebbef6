"""Admitting through the API, for the admission tests."""

from typing import Any

from heartmon.clinic.models import Patient, Place

URL = "/api/v1/admissions/"


def admit(client: Any, patient: Patient, place: Place, devices: Any = (), **extra: Any) -> Any:
    body = {
        "patient": str(patient.pk),
        "place": str(place.pk),
        "devices": [str(device.pk) for device in devices],
        "reason": "Chest pain, telemetry",
        **extra,
    }
    return client.post(URL, body)
