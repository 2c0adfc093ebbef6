"""What the alarms app listens to from the apps below it: a new organization gets the default
rules; every batch of stored readings is evaluated once committed; a changed rule clears the
limits the hot path keeps; the ECG's pauses and asystole raise alarms (`rhythm`)."""

from typing import Any

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from heartmon.accounts.models import Organization
from heartmon.alarms import hot
from heartmon.alarms.defaults import create_defaults
from heartmon.alarms.evaluation import evaluate_readings
from heartmon.alarms.models import AlarmRule
from heartmon.alarms.rhythm import on_rhythm_analysed
from heartmon.ecg.signals import rhythm_analysed
from heartmon.telemetry.signals import readings_stored


@receiver(post_save, sender=Organization, dispatch_uid="alarms-default-rules")
def _default_rules(sender: Any, instance: Organization, created: bool, **kwargs: Any) -> None:
    if created:
        create_defaults(organization_id=instance.pk)


@receiver(readings_stored, dispatch_uid="alarms-evaluate")
def _evaluate(sender: Any, rows: Any, received_at: Any, **kwargs: Any) -> None:
    evaluate_readings(rows, received_at=received_at)


@receiver(rhythm_analysed, dispatch_uid="alarms-rhythm")
def _rhythm(sender: Any, recording: Any, events: Any, live: bool, **kwargs: Any) -> None:
    on_rhythm_analysed(recording=recording, events=events, live=live)


post_save.connect(hot.forget, sender=AlarmRule, dispatch_uid="alarms-forget-saved-rule")
post_delete.connect(hot.forget, sender=AlarmRule, dispatch_uid="alarms-forget-deleted-rule")
