"""Background processing of uploaded ECG recordings (a Celery task: takes an id, calls the
analysis service; runs in-process when no broker is configured)."""

from celery import shared_task

from heartmon.core.actor import Actor
from heartmon.ecg.services.analysis import analyse_recording


# Acknowledged after it ran, so a worker that dies mid-analysis leaves the task to another.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def process_recording(recording_id: str) -> None:
    """Detect beats, summarise and derive heart rate for one recording."""
    analyse_recording(recording_id=recording_id, actor=Actor.of_system("ecg-analysis"))
