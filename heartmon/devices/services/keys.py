"""Device API keys: created once (the caller sees the key a single time), revoked at once."""

from django.db import transaction
from django.utils import timezone

from heartmon.core.actor import Actor
from heartmon.devices import keys
from heartmon.devices.models import Device, DeviceEvent, DeviceEventKind, DeviceKey


@transaction.atomic
def create_key(*, device: Device, name: str, actor: Actor) -> tuple[DeviceKey, str]:
    """The new row and the full key, which is never stored nor shown again."""
    new = keys.generate()
    row = DeviceKey.objects.create(
        device=device,
        prefix=new.prefix,
        digest=new.digest,
        name=name,
        created_by_id=actor.person_id,
    )
    DeviceEvent.objects.create(
        device=device,
        kind=DeviceEventKind.KEY_CREATED,
        actor_id=actor.user_id,
        details={"prefix": row.prefix, "name": name},
    )
    return row, new.key


@transaction.atomic
def revoke_key(*, key: DeviceKey, actor: Actor) -> DeviceKey:
    """Revoking twice is harmless; the first revocation time is kept."""
    if key.revoked_at is not None:
        return key
    key.revoked_at = timezone.now()
    key.save(update_fields=["revoked_at"])
    DeviceEvent.objects.create(
        device_id=key.device_id,
        kind=DeviceEventKind.KEY_REVOKED,
        actor_id=actor.user_id,
        details={"prefix": key.prefix},
    )
    return key
