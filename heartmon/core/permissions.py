"""Who may call an endpoint: the role table for people (`RolePermission`). Endpoints that devices
call too compose it with the devices app's permission for them."""

from typing import Any

from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from heartmon.core.actor import actor_of
from heartmon.core.roles import may, refusal


class RolePermission(BasePermission):
    """Grants by the role table. The view names its `role_resource`; `role_actions` maps its
    viewset actions (or HTTP methods) to table actions, else safe methods read and others write.
    A refusal names the right the role lacks (`roles.refusal`)."""

    message = "Only people, signed in, may call this endpoint."

    def has_permission(self, request: Request, view: Any) -> bool:
        actor = actor_of(request)
        if not actor.is_person:
            return False
        if not handles(request, view):
            return True  # a method the view does not handle is answered 405, whatever the role
        action = table_action(request, view)
        if not may(actor, view.role_resource, action):
            raise exceptions.PermissionDenied(refusal(actor, view.role_resource, action))
        return True


def handles(request: Request, view: Any) -> bool:
    method = str(request.method).lower()
    return method in view.http_method_names and hasattr(view, method)


def table_action(request: Request, view: Any) -> str:
    """The role table's action for this request to this view."""
    actions: dict[str, str] = getattr(view, "role_actions", {})
    name = getattr(view, "action", None) or str(request.method).lower()
    if name in actions:
        return actions[name]
    return "read" if request.method in SAFE_METHODS else "write"
