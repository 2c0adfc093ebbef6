"""Who may call device-facing endpoints, and endpoints that people and devices both call."""

from typing import Any

from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from heartmon.core.permissions import RolePermission
from heartmon.devices.authentication import DevicePrincipal

INACTIVE = "This device is not active: it may not send or fetch anything."


class IsActiveDevice(BasePermission):
    """The request comes from a device (not a person) that is active."""

    message = INACTIVE

    def has_permission(self, request: Request, view: Any) -> bool:
        principal = request.user
        if not isinstance(principal, DevicePrincipal):  # a person, however authenticated
            raise exceptions.NotAuthenticated("Device endpoints take Authorization: Device <key>.")
        return principal.device.is_active


class KeyMatchesDevice(BasePermission):
    """For device-specific URLs (`device_pk` in the path): the key must belong to that device."""

    message = "This key belongs to another device."

    def has_permission(self, request: Request, view: Any) -> bool:
        principal = request.user
        return isinstance(principal, DevicePrincipal) and str(principal.device.pk) == str(
            view.kwargs.get("device_pk")
        )


class PeopleByRoleDevicesFor(BasePermission):
    """For endpoints that people and devices both call: a person goes by the role table; a device
    key may use only the view's `device_actions` (sending data), and only while its device is
    active. Devices read nothing through these endpoints."""

    def has_permission(self, request: Request, view: Any) -> bool:
        principal = request.user
        if not isinstance(principal, DevicePrincipal):
            return RolePermission().has_permission(request, view)
        if getattr(view, "action", None) not in view.device_actions:
            raise exceptions.PermissionDenied("A device key may only send data here.")
        if not principal.device.is_active:
            raise exceptions.PermissionDenied(INACTIVE)
        return True
