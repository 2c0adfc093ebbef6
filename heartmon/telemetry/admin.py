from django.contrib import admin

from heartmon.core.admin import ViewOnlyAdmin
from heartmon.telemetry.models import Reading


@admin.register(Reading)
class ReadingAdmin(ViewOnlyAdmin[Reading]):
    """View only: readings are entered, corrected and deleted through the API, which audits it.
    The table is large: no full count, no joins beyond the device."""

    list_display = ["recorded_at", "device", "metric", "value", "source", "received_at"]
    list_filter = ["metric", "source"]
    search_fields = ["device__serial_number"]
    list_select_related = ["device"]
    show_full_result_count = False
    raw_id_fields = ["device", "patient"]
