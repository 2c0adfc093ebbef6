"""The audit trail's writers: `record_event` for anything done, `record_read` for patient data
read. Nothing else writes audit events."""

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models

from heartmon.audit.models import AuditEvent
from heartmon.core.actor import Actor


def record_event(
    action: str,
    *,
    actor: Actor,
    target: models.Model | None = None,
    patient_id: uuid.UUID | str | None = None,
    organization_id: uuid.UUID | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event by the actor, filed under `organization_id` or else the actor's
    organization. A device or the system is no user: their events name only the organization."""
    return AuditEvent.objects.create(
        action=action,
        actor_id=actor.user_id,
        organization_id=organization_id or actor.organization_id,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        patient_id=patient_id,
        ip=actor.ip,
        request_id=actor.request_id,
        details=details or {},
    )


def record_read(
    action: str,
    *,
    actor: Actor,
    patient_ids: Iterable[uuid.UUID | str | None],
    query: str = "",
    target: models.Model | None = None,
    organization_id: uuid.UUID | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """That someone read patient data (a detail, a list page, an export, a signal): one event per
    request, naming every patient whose data was returned, and the query that asked for it."""
    ids = sorted({str(patient_id) for patient_id in patient_ids if patient_id is not None})
    return record_event(
        action,
        actor=actor,
        target=target,
        patient_id=ids[0] if len(ids) == 1 else None,
        organization_id=organization_id,
        details={"patient_ids": ids, "count": len(ids), "query": query, **(details or {})},
    )
