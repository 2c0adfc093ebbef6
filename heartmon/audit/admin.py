from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from heartmon.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the audit trail is append-only."""

    list_display = ["at", "action", "actor", "organization", "object_type", "object_id", "ip"]
    list_filter = ["action", "organization", "object_type", "at"]
    search_fields = ["action", "object_id", "request_id", "actor__email"]
    date_hierarchy = "at"
    list_select_related = ["actor", "organization"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
