"""The careful way to check a batch: item by item, resolving the devices and patients the items
name in one query each, so that every rejected item says why. A person's batches, and a device's
with an invalid item, are checked this way; a rejected item never stops the others."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from heartmon.clinic.models import Patient
from heartmon.core.actor import Actor
from heartmon.core.roles import may
from heartmon.core.time import EARLIEST, measured_time
from heartmon.devices.models import Device
from heartmon.telemetry.ingest.assignments import Assignments, assignments_during
from heartmon.telemetry.ingest.parsing import OWN, REFERENCE, Shape, uuid_or_none
from heartmon.telemetry.ingest.storage import Row
from heartmon.telemetry.ingest.values import BOUNDS, check_value


@dataclass
class _Item:
    index: int
    device_key: str | None  # as sent; resolved later in one query
    patient_key: str | None
    customer_key: str | None
    metric: str
    value: float
    recorded_at: datetime
    shape: Shape


def rows_item_by_item(
    items: Sequence[Any], *, sender: Device | None, actor: Actor, latest: datetime
) -> tuple[list[Row], list[dict[str, Any]]]:
    """The valid items as rows, and the others' rejections ({"index", "errors"}) in order."""
    rejected: list[dict[str, Any]] = []
    checked: list[_Item] = []
    for index, raw in enumerate(items):
        item = _read_item(index, raw, latest=latest)
        if isinstance(item, _Item):
            checked.append(item)
        else:
            rejected.append({"index": index, "errors": item})
    devices = _devices_for(checked, sender=sender, actor=actor)
    patients = _patients_for(checked, sender=sender, actor=actor)
    during = _assignments_for(checked, devices)
    rows: list[Row] = []
    for item in checked:
        resolved = _resolve(
            item, sender=sender, actor=actor, devices=devices, patients=patients, during=during
        )
        if isinstance(resolved, dict):
            rejected.append({"index": item.index, "errors": resolved})
            continue
        device, patient_id = resolved
        device_id = device.pk if device is not None else None  # None: a manual observation
        rows.append((device_id, patient_id, item.metric, item.value, item.recorded_at))
    rejected.sort(key=lambda rejection: rejection["index"])
    return rows, rejected


def _read_item(index: int, raw: Any, *, latest: datetime) -> _Item | dict[str, list[str]]:
    """One item checked on its own (shape, metric, value, time), or its errors."""
    if not isinstance(raw, dict):
        return {"non_field_errors": ["Each reading must be a JSON object."]}
    errors: dict[str, list[str]] = {}
    # shape_of(raw), spelled out: a call more per item costs this path a few percent.
    shape = REFERENCE if "reading" in raw or "timestamp" in raw else OWN
    value_field, time_field = shape.value, shape.time
    metric = str(raw.get("metric", shape.default_metric or ""))
    if metric not in BOUNDS:
        errors["metric"] = [f"Choose one of: {', '.join(BOUNDS)}."]
    value = 0.0
    if value_field not in raw:
        errors[value_field] = ["This field is required."]
    elif "metric" not in errors:
        try:
            value = check_value(metric, raw[value_field])
        except ValueError as exc:
            errors[value_field] = [str(exc)]
    moment = EARLIEST
    if time_field not in raw:
        errors[time_field] = ["This field is required."]
    else:
        try:
            moment = measured_time(raw[time_field], latest=latest)
        except ValueError as exc:
            errors[time_field] = [str(exc)]
    keys = []
    for name in shape.ids:
        key = raw.get(name)
        if key is not None and not isinstance(key, str):
            errors[name] = ["Give an id as a string."]
        keys.append(key)
    if errors:
        return errors
    return _Item(index, keys[0], keys[1], keys[2], metric, value, moment, shape)


def _devices_for(items: list[_Item], *, sender: Device | None, actor: Actor) -> dict[str, Device]:
    """Devices the items name, by the id as sent, among those the sender or actor may use."""
    if sender is not None:
        return {str(sender.pk): sender}
    ids = {parsed for item in items if (parsed := uuid_or_none(item.device_key))}
    found = Device.objects.visible_to(actor).filter(pk__in=ids)
    return {str(device.pk): device for device in found}


def _patients_for(items: list[_Item], *, sender: Device | None, actor: Actor) -> dict[str, Patient]:
    """Patients the items name, among those of the sender's organization or the actor's."""
    ids = {parsed for item in items if (parsed := uuid_or_none(item.patient_key))}
    if not ids:
        return {}
    found = Patient.objects.visible_to(sender.as_actor() if sender is not None else actor)
    found = found.filter(pk__in=ids)
    return {str(patient.pk): patient for patient in found}


def _assignments_for(items: list[_Item], devices: dict[str, Device]) -> Assignments:
    """The devices' assignments over the items' times, to find whose each reading is."""
    if not items:
        return Assignments({})
    moments = [item.recorded_at for item in items]
    device_ids = [device.pk for device in devices.values()]
    return assignments_during(device_ids, first=min(moments), last=max(moments))


def _resolve(
    item: _Item,
    *,
    sender: Device | None,
    actor: Actor,
    devices: dict[str, Device],
    patients: dict[str, Patient],
    during: Assignments,
) -> tuple[Device | None, uuid.UUID | None] | dict[str, list[str]]:
    """The item's device (None for a manual observation) and patient, or its errors."""
    if sender is None and item.device_key is None:
        return _observation(item, actor=actor, patients=patients)
    device = _device_of(item, sender=sender, devices=devices)
    if isinstance(device, dict):
        return device
    assigned = during.patient_at(device.pk, item.recorded_at)
    patient_id = _patient_of(
        item, device, patients, assigned=assigned, by_device=sender is not None
    )
    if isinstance(patient_id, dict):
        return patient_id
    return device, patient_id


def _device_of(
    item: _Item, *, sender: Device | None, devices: dict[str, Device]
) -> Device | dict[str, list[str]]:
    device_field, _, customer_field = item.shape.ids
    if sender is not None:
        if item.device_key is not None and uuid_or_none(item.device_key) != sender.pk:
            return {device_field: ["A device sends only its own readings."]}
        device = sender
    elif (found := _find(devices, item.device_key)) is None:
        return {device_field: ["Unknown device."]}
    else:
        device = found
    if not device.is_active:
        return {device_field: ["This device is not active."]}
    if item.customer_key is not None and uuid_or_none(item.customer_key) != (
        device.organization_id
    ):
        return {customer_field: ["This is not the device's organization."]}
    return device


def _patient_of(
    item: _Item,
    device: Device,
    patients: dict[str, Patient],
    *,
    assigned: uuid.UUID | None,
    by_device: bool,
) -> uuid.UUID | dict[str, list[str]] | None:
    """The patient the device was on at the item's time. An item may name that patient; a
    person may also name one for a time the device was on no one (a spot check), but nobody
    files a device's reading in the chart of a patient it was not on."""
    if item.patient_key is None:
        return assigned
    patient_field = item.shape.ids[1]
    patient = _find(patients, item.patient_key)
    if patient is None or patient.organization_id != device.organization_id:
        return {patient_field: ["Unknown patient."]}
    if patient.pk == assigned or (assigned is None and not by_device):
        return patient.pk
    return {
        patient_field: [
            f"The device was not on this patient at {item.shape.time}: its readings belong "
            "to the patient it was assigned to then."
        ]
    }


def _observation(
    item: _Item, *, actor: Actor, patients: dict[str, Patient]
) -> tuple[None, uuid.UUID] | dict[str, list[str]]:
    """A person's item naming no device: a manual observation of the patient it names, which
    doctors and nurses enter."""
    device_field, patient_field, _ = item.shape.ids
    if item.shape is not OWN or item.patient_key is None:
        return {device_field: ["Name the device that took this reading, or the patient observed."]}
    if not may(actor, "readings", "observe"):
        return {device_field: ["Only doctors and nurses enter observations without a device."]}
    patient = _find(patients, item.patient_key)
    if patient is None:
        return {patient_field: ["Unknown patient."]}
    return None, patient.pk


def _find(found: dict[str, Any], key: str | None) -> Any:
    parsed = uuid_or_none(key)
    return found.get(str(parsed)) if parsed is not None else None
