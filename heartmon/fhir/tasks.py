"""Bulk exports run in a Celery worker (in-process when no broker is configured)."""

from celery import shared_task

from heartmon.fhir import writer


# Acknowledged after it ran; a second delivery finds the job claimed and does nothing.
@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_export(job_id: str) -> None:
    writer.run_export(job_id=job_id)


@shared_task
def purge_expired_exports() -> int:
    return writer.purge_expired()
