"""The firmware catalog and over-the-air updates: uploads hashed by the server, the newest
eligible image for a device, and the results devices report."""

import hashlib

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from heartmon.core.actor import Actor
from heartmon.core.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    organization_id_of,
)
from heartmon.devices.models import Device, DeviceEvent, DeviceEventKind, Firmware
from heartmon.devices.semver import Version


def max_upload_bytes() -> int:
    return int(settings.FIRMWARE_MAX_UPLOAD_MB) * 1024 * 1024


def refuse_if_too_large(size: int) -> None:
    if size > max_upload_bytes():
        raise PayloadTooLarge(
            f"Firmware images are limited to {settings.FIRMWARE_MAX_UPLOAD_MB} MB."
        )


def _measure(file: UploadedFile) -> tuple[int, str]:
    """Size and SHA-256, read chunk by chunk."""
    sha256, size = hashlib.sha256(), 0
    for chunk in file.chunks():
        size += len(chunk)
        sha256.update(chunk)
    file.seek(0)
    return size, sha256.hexdigest()


@transaction.atomic
def add_firmware(
    *,
    model: str,
    version: str,
    file: UploadedFile,
    release_notes: str,
    min_version: str,
    sha256: str | None,
    actor: Actor,
) -> Firmware:
    organization_id = organization_id_of(actor, what="upload firmware")
    size, digest = _measure(file)
    refuse_if_too_large(size)
    if sha256 and sha256.lower() != digest:
        raise InvalidInput(
            f"Checksum mismatch: the server computed SHA-256 {digest}.",
            code="checksum_mismatch",
            field="sha256",
        )
    same = Firmware.objects.filter(organization_id=organization_id, model=model, version=version)
    if same.exists():
        raise _duplicate(model, version)
    firmware = Firmware(
        organization_id=organization_id,
        model=model,
        version=version,
        size=size,
        sha256=digest,
        release_notes=release_notes,
        min_version=min_version,
        uploaded_by_id=actor.person_id,
    )
    firmware.file.save(f"{model}-{version}.bin", file, save=False)
    stored_name = str(firmware.file.name)
    try:
        with transaction.atomic():
            firmware.save()
    except IntegrityError as exc:  # a concurrent upload of the same version won
        firmware.file.storage.delete(stored_name)
        raise _duplicate(model, version) from exc
    return firmware


def _duplicate(model: str, version: str) -> Conflict:
    return Conflict(
        f"Firmware {version} for {model} is already in the catalog.",
        code="firmware_exists",
        field="version",
    )


@transaction.atomic
def delete_firmware(*, firmware: Firmware) -> None:
    """The row goes now, the file after the commit."""
    storage, name = firmware.file.storage, str(firmware.file.name)
    firmware.delete()
    transaction.on_commit(lambda: storage.delete(name))


def update_for(*, device: Device, current: Version) -> Firmware | None:
    """The newest firmware of the device's model newer than `current` that upgrades from it
    (min_version empty or at most `current`); None when the device is up to date, a 409 when newer
    images exist but none upgrades from `current`. A model with no firmware at all is a 404: the
    device is probably misconfigured."""
    catalog = list(
        Firmware.objects.filter(organization_id=device.organization_id, model=device.model)
    )
    if not catalog:
        raise NotFound(
            f"No firmware for model {device.model!r} in the catalog.", code="unknown_model"
        )
    newer = [firmware for firmware in catalog if Version(firmware.version) > current]
    eligible = [
        firmware
        for firmware in newer
        if not firmware.min_version or Version(firmware.min_version) <= current
    ]
    if newer and not eligible:
        lowest = min(Version(firmware.min_version) for firmware in newer)
        raise Conflict(
            f"No upgrade path from {current}: every newer image needs at least {lowest}. "
            "Install an intermediate version by hand, or add one to the catalog.",
            code="no_upgrade_path",
        )
    return max(eligible, key=lambda firmware: Version(firmware.version), default=None)


@transaction.atomic
def record_ota_report(*, device: Device, version: str, status: str, message: str) -> DeviceEvent:
    """Shown in the device's history; a success also sets the device's firmware version."""
    if status == "succeeded":
        Device.objects.filter(pk=device.pk).update(firmware_version=version)
        device.firmware_version = version
    return DeviceEvent.objects.create(
        device=device,
        kind=DeviceEventKind.OTA_REPORT,
        details={"version": version, "status": status, "message": message},
    )
