from django.contrib import admin

from heartmon.core.admin import ViewOnlyAdmin
from heartmon.fhir.models import ExportFile, ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(ViewOnlyAdmin[ExportJob]):
    """Exports are made, cancelled and expired through /fhir/R4/$export only."""

    list_display = ["created_at", "organization", "requested_by", "scope", "status", "expires_at"]
    list_filter = ["status", "scope"]
    search_fields = ["requested_by__email"]
    list_select_related = ["organization", "requested_by"]


@admin.register(ExportFile)
class ExportFileAdmin(ViewOnlyAdmin[ExportFile]):
    list_display = ["name", "job", "resource_type", "count"]
    search_fields = ["name"]
    list_select_related = ["job"]
