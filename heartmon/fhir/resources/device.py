"""Device: serial number, MAC address, model, manufacturer, firmware and status, and the patient
it is attached to now (as the REST API shows every role)."""

import uuid
from typing import Any

from django.db.models import F, Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from heartmon.core.actor import Actor
from heartmon.devices.models import Device, DeviceEvent, DeviceStatus
from heartmon.devices.selectors import devices_for
from heartmon.fhir.resources.base import FhirType, ModelSource, Resource, iso, reference

SERIAL_SYSTEM = "urn:heartmon:device-serial-number"
_STATUS = {
    DeviceStatus.ACTIVE: "active",
    DeviceStatus.INACTIVE: "inactive",
    DeviceStatus.MAINTENANCE: "inactive",
    DeviceStatus.RETIRED: "inactive",
}


class Devices(ModelSource):
    name = "devices"
    patient_field = "open_patient_id"

    def rows(self, actor: Actor) -> QuerySet[Any]:
        last_event = DeviceEvent.objects.filter(device=OuterRef("pk")).values("device")
        latest = last_event.annotate(latest=Max("at")).values("latest")
        return devices_for(actor).annotate(
            fhir_last_updated=Coalesce(Subquery(latest[:1]), F("created_at"))
        )

    def patient_of(self, row: Device) -> uuid.UUID | None:
        return getattr(row, "open_patient_id", None)

    def resource(self, row: Device, actor: Actor) -> Resource:
        resource: Resource = {
            "resourceType": "Device",
            "id": str(row.pk),
            "meta": {"lastUpdated": iso(row.fhir_last_updated)},  # type: ignore[attr-defined]
            "identifier": _identifiers(row),
            "status": _STATUS[DeviceStatus(row.status)],
            "serialNumber": row.serial_number,
            "modelNumber": row.model,
        }
        if row.manufacturer:
            resource["manufacturer"] = row.manufacturer
        if row.name:
            resource["deviceName"] = [{"name": row.name, "type": "user-friendly-name"}]
        if row.firmware_version:
            resource["version"] = [{"type": {"text": "firmware"}, "value": row.firmware_version}]
        patient_id = self.patient_of(row)
        if patient_id is not None:
            resource["patient"] = reference("Patient", patient_id)
        return resource


def _identifiers(device: Device) -> list[Resource]:
    identifiers: list[Resource] = [
        {"type": {"text": "Serial number"}, "system": SERIAL_SYSTEM, "value": device.serial_number}
    ]
    if device.mac_address:
        identifiers.append({"type": {"text": "MAC address"}, "value": device.mac_address})
    return identifiers


DEVICE = FhirType(
    name="Device",
    role=("devices", "read"),
    search_params=frozenset({"_id", "_lastUpdated", "patient"}),
    sources=(Devices(),),
    in_patient_compartment=True,
)
