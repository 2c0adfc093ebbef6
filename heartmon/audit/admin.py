from django.contrib import admin

from heartmon.audit.models import AuditEvent
from heartmon.core.admin import ViewOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ViewOnlyAdmin[AuditEvent]):
    """Read-only: the audit trail is append-only."""

    list_display = ["at", "action", "actor", "organization", "object_type", "object_id", "ip"]
    list_filter = ["action", "organization", "object_type", "at"]
    search_fields = ["action", "object_id", "request_id", "actor__email"]
    date_hierarchy = "at"
    list_select_related = ["actor", "organization"]
