"""Versioned device settings: every save is a new version; the newest one is in force."""

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from heartmon.core.actor import Actor
from heartmon.core.errors import Conflict, InvalidInput
from heartmon.devices import settings_schema
from heartmon.devices.models import Device, DeviceEvent, DeviceEventKind, DeviceSettings


@dataclass(frozen=True)
class CurrentSettings:
    """What a device runs with: a saved version, or version 0 (the defaults)."""

    version: int
    document: dict[str, Any]
    created_at: datetime | None = None
    created_by: Any = None

    @property
    def etag(self) -> str:
        canonical = json.dumps(self.document, sort_keys=True, separators=(",", ":"))
        return f'"v{self.version}-{hashlib.sha256(canonical.encode()).hexdigest()[:16]}"'


def current_settings(device: Device) -> CurrentSettings:
    row = DeviceSettings.objects.filter(device=device).select_related("created_by").first()
    if row is None:
        return CurrentSettings(version=0, document=settings_schema.defaults(device.lead_count))
    return CurrentSettings(row.version, row.document, row.created_at, row.created_by)


@transaction.atomic
def save_settings(*, device: Device, document: Any, actor: Actor) -> CurrentSettings:
    errors = settings_schema.errors_in(document, lead_count=device.lead_count)
    if errors:
        field, messages = next(iter(errors.items()))
        raise InvalidInput(f"{field}: {messages[0]}", errors=errors)
    Device.objects.select_for_update().filter(pk=device.pk).first()
    latest = DeviceSettings.objects.filter(device=device).aggregate(v=Max("version"))["v"] or 0
    try:
        with transaction.atomic():
            row = DeviceSettings.objects.create(
                device=device,
                version=latest + 1,
                document=document,
                created_by_id=actor.user_id,
            )
    except IntegrityError as exc:  # a concurrent save took this version number
        raise Conflict("The settings changed meanwhile: reload and try again.") from exc
    DeviceEvent.objects.create(
        device=device,
        kind=DeviceEventKind.SETTINGS_CHANGED,
        actor_id=actor.user_id,
        details={"version": row.version},
    )
    return CurrentSettings(row.version, row.document, row.created_at, row.created_by)
