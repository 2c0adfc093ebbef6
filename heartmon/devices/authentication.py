"""How devices authenticate: `Authorization: Device <key>`, on device-facing endpoints only.

request.user is a DevicePrincipal: authenticated, but with no role and no superuser flag, so the
role table (RolePermission) refuses it everywhere people work; request.auth is the DeviceKey."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, cast

from django.db.models import Q
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request
from rest_framework.settings import api_settings

from heartmon.core.actor import Actor
from heartmon.devices import keys
from heartmon.devices.models import Device, DeviceKey

KEYWORD = "Device"
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class DevicePrincipal:
    """The device behind a request. Not a user: no role, never a superuser."""

    device: Device
    key: DeviceKey = field(repr=False)
    is_authenticated: bool = True
    is_anonymous: bool = False
    is_superuser: bool = False
    is_staff: bool = False
    role: None = None

    @property
    def pk(self) -> Any:
        return self.device.pk

    @property
    def organization_id(self) -> Any:
        return self.device.organization_id

    def as_actor(self, *, ip: str | None = None, request_id: str = "") -> Actor:
        return self.device.as_actor(ip=ip, request_id=request_id)


class KeyRefused(Exception):
    """The key is unknown, malformed or revoked; the message says which, for the device."""


def use_key(key: str) -> DeviceKey:
    """The live key row (with its device) for a key as a device sends it, its use recorded.
    Every channel a device talks through (HTTP, MQTT) checks its key here."""
    prefix = keys.prefix_of(key)
    row = (
        DeviceKey.objects.select_related("device").filter(prefix=prefix).first() if prefix else None
    )
    if row is None or not keys.matches(key, row.digest):
        raise KeyRefused("Unknown device key.")
    if row.revoked_at is not None:
        raise KeyRefused("This device key has been revoked.")
    _mark_used(row)
    return row


def _mark_used(row: DeviceKey) -> None:
    """At most one write a minute per key: key.last_used_at and device.last_seen_at."""
    now = timezone.now()
    stale = now - LAST_USED_RESOLUTION
    if row.last_used_at is not None and row.last_used_at > stale:
        return
    updated = DeviceKey.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale), pk=row.pk
    ).update(last_used_at=now)
    if updated:
        Device.objects.filter(pk=row.device_id).update(last_seen_at=now)
        row.last_used_at = row.device.last_seen_at = now


class DeviceAuthentication(BaseAuthentication):
    """Finds the key by its prefix, checks its digest in constant time, refuses revoked keys.
    An inactive device still authenticates; IsActiveDevice answers it 403."""

    def authenticate(self, request: Request) -> tuple[DevicePrincipal, DeviceKey] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() != KEYWORD.lower():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Send the key as: Authorization: Device <key>.")
        try:
            row = use_key(parts[1].decode(errors="replace"))
        except KeyRefused as exc:
            raise exceptions.AuthenticationFailed(str(exc)) from exc
        return DevicePrincipal(device=row.device, key=row), row

    def authenticate_header(self, request: Request) -> str:
        return f'{KEYWORD} realm="api"'


# Endpoints that people and devices both call (readings, ECG uploads): people's schemes first, so
# a 401 asks for a bearer token.
PEOPLE_AND_DEVICES: list[type[BaseAuthentication]] = [
    *cast(list[type[BaseAuthentication]], api_settings.DEFAULT_AUTHENTICATION_CLASSES),
    DeviceAuthentication,
]


def sending_device(request: Request) -> Device | None:
    """The device that sent the request, or None for a person."""
    principal = request.user
    return principal.device if isinstance(principal, DevicePrincipal) else None
