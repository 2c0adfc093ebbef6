"""The audit trail in the Django admin (read-only), and the one way admin pages of patient data
are audited: reads like the API's, changes as admin.added/changed/deleted."""

from collections.abc import Sequence
from operator import attrgetter
from typing import Any

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.audit.services import record_event, record_read
from heartmon.core.actor import actor_of
from heartmon.core.admin import ViewOnlyAdmin


class PatientDataAdmin(admin.ModelAdmin[Any]):
    """Every list page read names the patients on it, every object page its patient, every
    change its patient (Django's own log keeps no patient and can be edited)."""

    read_actions: tuple[str, str]  # (a list page, one object)
    patient_path = "patient_id"  # from a row to its patient's id

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if changelist is not None:
            self._audit_read(request, self.read_actions[0], changelist.result_list)
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        shown = self.get_object(request, object_id) if response.status_code == 200 else None
        if shown is not None:
            self._audit_read(request, self.read_actions[1], [shown], target=shown)
        return response

    def _audit_read(
        self, request: HttpRequest, action: str, rows: Sequence[Model], target: Model | None = None
    ) -> None:
        record_read(
            action,
            actor=actor_of(request),
            patient_ids=map(attrgetter(self.patient_path), rows),
            query=request.GET.urlencode(),
            target=target,
            organization_id=getattr(target, "organization_id", None),
            details={"via": "admin"},
        )

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._audit_change(request, AuditAction.ADMIN_ADDED, obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        self._audit_change(request, AuditAction.ADMIN_CHANGED, obj)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: Any) -> Any:
        for obj in queryset:
            self._audit_change(request, AuditAction.ADMIN_DELETED, obj)
        return super().log_deletions(request, queryset)

    def _audit_change(self, request: HttpRequest, action: str, obj: Model) -> None:
        record_event(
            action,
            actor=actor_of(request),
            target=obj,
            patient_id=attrgetter(self.patient_path)(obj),
            organization_id=getattr(obj, "organization_id", None),
        )


@admin.register(AuditEvent)
class AuditEventAdmin(ViewOnlyAdmin[AuditEvent]):
    """Read-only: the audit trail is append-only."""

    list_display = ["at", "action", "actor", "organization", "object_type", "object_id", "ip"]
    list_filter = ["action", "organization", "object_type", "at"]
    search_fields = ["action", "object_id", "request_id", "actor__email"]
    date_hierarchy = "at"
    list_select_related = ["actor", "organization"]
