from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from heartmon.telemetry.models import Reading


@admin.register(Reading)
class ReadingAdmin(admin.ModelAdmin[Reading]):
    """View only: readings are entered, corrected and deleted through the API, which audits it.
    The table is large: no full count, no joins beyond the device."""

    list_display = ["recorded_at", "device", "metric", "value", "source", "received_at"]
    list_filter = ["metric", "source"]
    search_fields = ["device__serial_number"]
    list_select_related = ["device"]
    show_full_result_count = False
    raw_id_fields = ["device", "patient"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
