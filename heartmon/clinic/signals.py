"""What the clinic tells the apps above it, after the commit: they receive, the clinic imports none
of them."""

from django.dispatch import Signal

# Sent after an admission, transfer or discharge commits, with `admission_id`, `event`
# ("admitted", "transferred" or "discharged") and, for a transfer, `from_place_id`.
admission_changed = Signal()
