"""What telemetry tells the apps above it, after the commit: they receive, telemetry imports none
of them."""

from django.dispatch import Signal

# Sent once per stored batch after its transaction commits, with `rows` (ReadingRow tuples:
# device, patient, metric, value, recorded_at; duplicates of stored readings included) and
# `source`. Receivers run in the storing thread: keep them short, and their failures never turn
# a stored batch into an error (send_robust).
readings_stored = Signal()
