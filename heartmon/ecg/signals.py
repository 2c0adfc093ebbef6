"""What the ECG app tells the apps above it (the alarm engine, issues 11 and 14).

`rhythm_analysed` is sent once the rhythm events of a stretch of a recording are stored, after the
transaction commits, with `recording` (the `Recording`), `events` (its `events.RhythmEvent`s found
in that stretch, possibly none) and `live`: True for one closed chunk of a live stream (no event
means the beats came back), False for the analysis of a whole recording."""

from django.dispatch import Signal

rhythm_analysed = Signal()
