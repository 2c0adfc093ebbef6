"""The devices' probes of the role table (see `accounts/tests/role_probes.py`) and their world:
a device monitoring the admitted patient, with a key and saved settings; a spare device; a
firmware image (the world fixture puts MEDIA_ROOT in a temporary folder)."""

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Model

from heartmon.accounts.tests.role_probes import Probe, World
from heartmon.clinic.services.assignments import assign_device
from heartmon.devices import settings_schema
from heartmon.devices.models import Device, DeviceSettings, Firmware
from heartmon.devices.services.keys import create_key

TARGETS = {
    "devices": "device",
    "device_keys": "device",
    "device_settings": "device",
    "firmware": "firmware",
}
SPARE = {"pk": "spare_device"}
DEVICE = {"device_pk": "device"}


def _firmware_upload(world: World) -> dict[str, Any]:
    return {"model": "HM-3L", "version": "2.0.0", "file": SimpleUploadedFile("fw.bin", b"\x01fw")}


PROBES: dict[tuple[str, str], list[Probe]] = {
    ("devices", "read"): [
        Probe("device-list", "get", "list", 200, row="device"),
        Probe("device-detail", "get", "object", 200),
        Probe("device-history", "get", "object", 200),
        Probe("device-assignments", "get", "object", 200, row="assignment"),
    ],
    ("devices", "write"): [
        Probe(
            "device-list",
            "post",
            "create",
            201,
            {"serial_number": "HM-0099", "model": "HM-3L", "lead_count": 3},
            creates=Device,
        ),
        Probe("device-detail", "patch", "object", 200, {"name": "Bed 1 monitor"}),
        Probe("device-detail", "delete", "object", 204, url=SPARE),
        Probe("device-status", "post", "object", 200, {"status": "maintenance"}, url=SPARE),
        Probe("device-retire", "post", "object", 200, url=SPARE),
    ],
    ("devices", "assign"): [
        Probe(
            "device-assign",
            "post",
            "object",
            201,
            lambda world: {"patient": world.id("outpatient")},
            url=SPARE,
        ),
        Probe("device-unassign", "post", "object", 200),
    ],
    ("device_keys", "read"): [
        Probe("device-key-list", "get", "object", 200, url=DEVICE, row="key"),
    ],
    ("device_keys", "write"): [
        Probe("device-key-list", "post", "object", 201, {"name": "spare"}, url=DEVICE),
        Probe("device-key-detail", "delete", "object", 204, url={**DEVICE, "pk": "key"}),
    ],
    ("device_settings", "read"): [
        Probe("device-settings", "get", "object", 200, url=DEVICE),
        Probe("device-settings-history", "get", "object", 200, url=DEVICE),
    ],
    ("device_settings", "write"): [
        Probe(
            "device-settings",
            "put",
            "object",
            200,
            {"document": {**settings_schema.defaults(3), "sampling_rate_hz": 500}},
            url=DEVICE,
        ),
    ],
    ("firmware", "read"): [
        Probe("firmware-list", "get", "list", 200, row="firmware"),
        Probe("firmware-detail", "get", "object", 200),
    ],
    ("firmware", "write"): [
        Probe(
            "firmware-list",
            "post",
            "create",
            201,
            _firmware_upload,
            format="multipart",
            creates=Firmware,
        ),
        Probe("firmware-detail", "delete", "object", 204),
    ],
}


def build(objects: dict[str, Any]) -> dict[str, Model]:
    org, keeper = objects["org_a"], objects["keeper"]
    device = Device.objects.create(
        organization=org, serial_number="HM-0001", model="HM-3L", lead_count=3
    )
    assignment = assign_device(
        device=device,
        patient=objects["patient"],
        actor=keeper.as_actor(),
        admission=objects["admission"],
    )
    DeviceSettings.objects.create(
        device=device, version=1, document=settings_schema.defaults(3), created_by=keeper
    )
    firmware = Firmware(
        organization=org,
        model="HM-3L",
        version="1.5.0",
        size=3,
        sha256="0" * 64,
        uploaded_by=keeper,
    )
    firmware.file.save("fw.bin", ContentFile(b"fw!"), save=True)
    return {
        "device": device,
        "assignment": assignment,
        "key": create_key(device=device, name="factory", actor=keeper.as_actor())[0],
        "spare_device": Device.objects.create(
            organization=org, serial_number="HM-0002", model="HM-3L", lead_count=3
        ),
        "firmware": firmware,
    }
