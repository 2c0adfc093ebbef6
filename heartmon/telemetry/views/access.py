"""Who may use the readings endpoints: people by the role table, devices (with a key) only to
send readings."""

from typing import Any

from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from heartmon.accounts.permissions import RolePermission
from heartmon.devices.authentication import DeviceAuthentication, DevicePrincipal, IsActiveDevice


class PeopleByRoleDevicesSendOnly(BasePermission):
    """A person goes by the role table. A device key may only use the view's `device_actions`
    (sending readings), and only while its device is active: it reads nothing here."""

    def has_permission(self, request: Request, view: Any) -> bool:
        principal = request.user
        if not isinstance(principal, DevicePrincipal):
            return RolePermission().has_permission(request, view)
        if getattr(view, "action", None) not in view.device_actions:
            raise exceptions.PermissionDenied("A device key may only send readings here.")
        if not principal.device.is_active:
            raise exceptions.PermissionDenied(IsActiveDevice.message)
        return True


class ReadingsAccess(APIView):
    """People (Bearer or cookie) and devices (Authorization: Device <key>) both authenticate."""

    authentication_classes = [*APIView.authentication_classes, DeviceAuthentication]
    permission_classes = [PeopleByRoleDevicesSendOnly]
    role_resource = "readings"
    role_actions = {"partial_update": "correct", "destroy": "correct"}
    device_actions: frozenset[str] = frozenset()


def sending_device(request: Request) -> Any:
    """The device that sent the request, or None for a person."""
    principal = request.user
    return principal.device if isinstance(principal, DevicePrincipal) else None
