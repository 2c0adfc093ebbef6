from django.contrib import admin

from heartmon.ecg.models import Recording


@admin.register(Recording)
class RecordingAdmin(admin.ModelAdmin[Recording]):
    """Metadata only, read-only: recordings change through uploads, whose files go with them."""

    list_display = ["data_id", "organization", "device", "kind", "start_time", "status"]
    list_filter = ["kind", "format", "status"]
    search_fields = ["data_id"]
    readonly_fields = [field.name for field in Recording._meta.fields]
    list_select_related = ["organization", "device"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
