"""What telemetry tells the apps above it. `readings_stored` is sent once the transaction that
stored a batch has committed (right away outside one), by `ingest.storage.store_readings`, the one
place every reading is stored through (HTTP, MQTT, manual entries, ECG-derived heart rate), with
`rows` (the batch's `ReadingRow`-shaped tuples, re-sent ones included), `source` and
`received_at`. The alarm engine evaluates each batch from here; an exception in a receiver is
logged and never turns a stored batch into an error."""

from django.dispatch import Signal

readings_stored = Signal()
