"""An organization's alarm timings (escalation delays, the no-data delay, NEWS2's maximum age):
read by its admins and clinicians, changed by its admins, every change audited with both
versions. An organization without a row of its own has the defaults."""

from typing import Any

from django.db import transaction

from heartmon.alarms.models import AlarmSettings
from heartmon.audit.services import record_event
from heartmon.core.actor import Actor
from heartmon.core.errors import organization_id_of

SETTING_FIELDS = (
    "high_escalation_seconds",
    "medium_escalation_seconds",
    "no_data_seconds",
    "news2_max_age_minutes",
)


def version(settings: AlarmSettings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in SETTING_FIELDS}


def settings_for(*, actor: Actor) -> AlarmSettings:
    organization_id = organization_id_of(actor, what="see alarm settings")
    found = AlarmSettings.objects.filter(pk=organization_id).first()
    return found or AlarmSettings(organization_id=organization_id)


@transaction.atomic
def update_settings(*, changes: dict[str, Any], actor: Actor) -> AlarmSettings:
    organization_id = organization_id_of(actor, what="change alarm settings")
    current, _ = AlarmSettings.objects.select_for_update().get_or_create(
        organization_id=organization_id
    )
    before = version(current)
    for name in SETTING_FIELDS:
        if name in changes:
            setattr(current, name, changes[name])
    current.save()
    record_event(
        "alarm_settings.updated",
        actor=actor,
        target=current,
        organization_id=organization_id,
        details={"before": before, "after": version(current)},
    )
    return current
