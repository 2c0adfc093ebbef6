"""Background processing of uploaded ECG recordings (a Celery task: takes an id, loads, calls
the processing service)."""

from celery import shared_task


@shared_task
def process_recording(recording_id: str) -> None:
    """Detect beats, summarise and derive heart rate for one recording."""
