"""Putting messages in the outbox, and the webhooks organizations register to receive them.

Callers enqueue inside their own transaction: the message exists exactly when the change that
causes it is committed. A worker delivers it (see `delivery`)."""

import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from heartmon.audit.models import AuditAction
from heartmon.audit.services import record_event
from heartmon.core.actor import Actor
from heartmon.core.errors import organization_id_of
from heartmon.outbox.models import Kind, Message, Webhook


def _wake_worker() -> None:
    """With a broker, a Celery worker delivers right after the commit; without one (the demo,
    the tests) nothing is sent inside the request: `heartmon deliver_outbox` picks it up."""
    if settings.CELERY_BROKER_URL:
        from heartmon.outbox.tasks import deliver_due_messages

        transaction.on_commit(deliver_due_messages.delay, robust=True)


def enqueue_email(
    *,
    to: str,
    subject: str,
    body: str,
    html: str | None = None,
    organization_id: uuid.UUID | None = None,
) -> Message:
    message = Message.objects.create(
        kind=Kind.EMAIL,
        organization_id=organization_id,
        recipient=to,
        subject=subject,
        body=body,
        html=html or "",
        next_attempt_at=timezone.now(),
    )
    _wake_worker()
    return message


def enqueue_webhook(
    *, organization_id: uuid.UUID, event: str, payload: dict[str, Any]
) -> list[Message]:
    """One message per active webhook of the organization (none: nothing to send)."""
    now = timezone.now()
    messages = Message.objects.bulk_create(
        Message(
            kind=Kind.WEBHOOK,
            organization_id=organization_id,
            webhook=webhook,
            event=event,
            payload=payload,
            next_attempt_at=now,
        )
        for webhook in Webhook.objects.filter(organization_id=organization_id, active=True)
    )
    if messages:
        _wake_worker()
    return messages


WEBHOOK_FIELDS = ("url", "secret", "description", "active")


@transaction.atomic
def create_webhook(*, fields: dict[str, Any], actor: Actor) -> Webhook:
    organization_id = organization_id_of(actor, what="add webhooks")
    chosen = {name: fields[name] for name in WEBHOOK_FIELDS if name in fields}
    webhook = Webhook.objects.create(organization_id=organization_id, **chosen)
    details = {"url": webhook.url}
    record_event(AuditAction.WEBHOOK_CREATED, actor=actor, target=webhook, details=details)
    return webhook


@transaction.atomic
def update_webhook(*, webhook: Webhook, changes: dict[str, Any], actor: Actor) -> Webhook:
    for name in WEBHOOK_FIELDS:
        if name in changes:
            setattr(webhook, name, changes[name])
    webhook.save()
    details = {"fields": sorted(name for name in changes if name in WEBHOOK_FIELDS)}
    record_event(AuditAction.WEBHOOK_UPDATED, actor=actor, target=webhook, details=details)
    return webhook


@transaction.atomic
def delete_webhook(*, webhook: Webhook, actor: Actor) -> None:
    record_event(
        AuditAction.WEBHOOK_DELETED,
        actor=actor,
        target=webhook,
        organization_id=webhook.organization_id,
        details={"url": webhook.url},
    )
    webhook.delete()
