from django.contrib import admin

from heartmon.audit.admin import PatientDataAdmin
from heartmon.audit.models import AuditAction
from heartmon.core.admin import ViewOnlyAdmin
from heartmon.telemetry.models import Reading


@admin.register(Reading)
class ReadingAdmin(PatientDataAdmin, ViewOnlyAdmin[Reading]):
    """View only: readings are entered, corrected and deleted through the API, which audits it.
    The table is large: no full count, no joins beyond the device."""

    read_actions = (AuditAction.READINGS_VIEWED, AuditAction.READINGS_VIEWED)
    list_display = ["recorded_at", "device", "metric", "value", "source", "received_at"]
    list_filter = ["metric", "source"]
    search_fields = ["device__serial_number"]
    list_select_related = ["device"]
    show_full_result_count = False
    raw_id_fields = ["device", "patient"]
