"""Background processing of uploaded ECG recordings (a Celery task: takes an id, calls the
analysis service; runs in-process when no broker is configured)."""

from celery import shared_task

from heartmon.ecg.analysis import analyse_recording


@shared_task
def process_recording(recording_id: str) -> None:
    """Detect beats, summarise and derive heart rate for one recording."""
    analyse_recording(recording_id=recording_id)
