"""What an actor may see of the devices: every view and every app that needs device rows asks
here."""

import uuid

from django.db.models import OuterRef, QuerySet, Subquery, UUIDField
from django.http import Http404
from django.shortcuts import get_object_or_404

from heartmon.core.actor import Actor
from heartmon.devices.models import Device, DeviceAssignment


def devices_for(actor: Actor) -> QuerySet[Device]:
    """Devices with `open_patient_id`, the patient of their open assignment, in one query."""
    open_patient = DeviceAssignment.objects.open().filter(device=OuterRef("pk"))
    return Device.objects.visible_to(actor).annotate(
        open_patient_id=Subquery(open_patient.values("patient_id")[:1], output_field=UUIDField())
    )


def device_for(actor: Actor, device_pk: uuid.UUID | str) -> Device:
    """One device the actor may see, or a 404 (also for an id that is no UUID)."""
    try:
        pk = uuid.UUID(str(device_pk))
    except ValueError as exc:
        raise Http404("No such device.") from exc
    return get_object_or_404(devices_for(actor), pk=pk)
