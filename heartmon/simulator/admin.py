from django.contrib import admin

from heartmon.core.admin import ViewOnlyAdmin
from heartmon.simulator.models import Run


@admin.register(Run)
class RunAdmin(ViewOnlyAdmin[Run]):
    """Runs come and go with `heartmon simulate`, which revokes their keys."""

    list_display = ["started_at", "organization", "host", "pid", "alive_until"]
    search_fields = ["host"]
    list_select_related = ["organization"]
