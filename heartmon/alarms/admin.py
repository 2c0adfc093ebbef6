"""View only: alarms change through the engine and the API (which audit them), rules through the
API (audited with both versions); the admin shows them, and its reads of alarms are audited."""

from django.contrib import admin

from heartmon.alarms.models import (
    Alarm,
    AlarmEvent,
    AlarmRule,
    AlarmSettings,
    ConditionState,
    News2Scale,
)
from heartmon.audit.admin import PatientDataAdmin
from heartmon.core.admin import ViewOnlyAdmin


@admin.register(Alarm)
class AlarmAdmin(PatientDataAdmin, ViewOnlyAdmin[Alarm]):
    read_actions = ("alarm.listed", "alarm.viewed")
    list_display = ["raised_at", "patient", "condition", "priority", "kind", "closed_at"]
    list_filter = ["kind", "priority", "condition"]
    list_select_related = ["patient"]
    raw_id_fields = ["patient", "place", "device", "rule", "acknowledged_by"]


@admin.register(AlarmEvent)
class AlarmEventAdmin(ViewOnlyAdmin[AlarmEvent]):
    list_display = ["at", "alarm", "step", "priority"]
    list_filter = ["step"]


@admin.register(AlarmRule)
class AlarmRuleAdmin(ViewOnlyAdmin[AlarmRule]):
    list_display = ["metric", "organization", "place", "patient", "low", "high", "priority"]
    list_filter = ["metric", "priority"]


@admin.register(AlarmSettings)
class AlarmSettingsAdmin(admin.ModelAdmin[AlarmSettings]):
    list_display = ["organization", "no_data_seconds", "high_escalation_seconds"]


@admin.register(ConditionState)
class ConditionStateAdmin(ViewOnlyAdmin[ConditionState]):
    list_display = ["patient", "condition", "raised", "out_since", "last_at"]


@admin.register(News2Scale)
class News2ScaleAdmin(ViewOnlyAdmin[News2Scale]):
    list_display = ["patient", "scale2", "set_at"]
