from celery import shared_task

from heartmon.outbox.delivery import deliver_due


@shared_task(ignore_result=True)
def deliver_due_messages() -> int:
    """Deliver what is due: started after each commit that enqueues, and by Celery beat every
    half minute for the retries."""
    return deliver_due()
