"""What the alarms app tells the apps above it (live pushing, issue 11).

`alarm_changed` is sent once the transaction that changed an alarm has committed, with
`alarm_id` (a UUID) and `step` (one of `models.Step`: raised, escalated, acknowledged, cleared,
notified, reminded, closed). Receivers load the alarm themselves and check who may see it; an
exception in one is logged and does not undo the change."""

from django.dispatch import Signal

alarm_changed = Signal()
