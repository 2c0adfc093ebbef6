from django.contrib import admin
from django.http import HttpRequest

from heartmon.audit.admin import PatientDataAdmin
from heartmon.audit.models import AuditAction
from heartmon.ecg.models import Recording


@admin.register(Recording)
class RecordingAdmin(PatientDataAdmin):
    """Metadata only, read-only: recordings change through uploads, whose files go with them."""

    read_actions = (AuditAction.ECG_LISTED, AuditAction.ECG_VIEWED)
    list_display = ["data_id", "organization", "device", "kind", "start_time", "status"]
    list_filter = ["kind", "format", "status"]
    search_fields = ["data_id"]
    readonly_fields = [field.name for field in Recording._meta.fields]
    list_select_related = ["organization", "device"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
