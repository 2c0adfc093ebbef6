from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from heartmon.accounts.roles import role_allows


class RolePermission(BasePermission):
    """Grants by the role table. The view names its `role_resource`; `role_actions` maps its
    viewset actions (or HTTP methods) to table actions, else safe methods read and others write."""

    message = "Your role does not allow this action."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if user.is_superuser or not self._handles(request, view):
            return True  # a method the view does not handle is answered 405, whatever the role
        return role_allows(user.role, view.role_resource, self._action(request, view))

    @staticmethod
    def _handles(request: Request, view: Any) -> bool:
        method = str(request.method).lower()
        return method in view.http_method_names and hasattr(view, method)

    @staticmethod
    def _action(request: Request, view: Any) -> str:
        actions: dict[str, str] = getattr(view, "role_actions", {})
        name = getattr(view, "action", None) or str(request.method).lower()
        if name in actions:
            return actions[name]
        return "read" if request.method in SAFE_METHODS else "write"
