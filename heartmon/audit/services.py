"""The one helper that writes audit events."""

from typing import Any

from django.contrib.auth import get_user_model
from django.db import models
from django.http import HttpRequest

from heartmon.audit.models import AuditEvent


def client_ip(request: HttpRequest) -> str | None:
    """The peer address. Behind a proxy, configure it to set REMOTE_ADDR (e.g. uvicorn
    --proxy-headers with --forwarded-allow-ips) rather than trusting X-Forwarded-For here."""
    return request.META.get("REMOTE_ADDR") or None


def record_event(
    action: str,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    organization: Any = None,
    target: models.Model | None = None,
    patient_id: Any = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Write one audit event. The actor defaults to the request's authenticated user (a device
    authenticated by its key is no user: its events have no actor and name their organization)
    and the organization to the actor's."""
    if actor is None and request is not None and isinstance(request.user, get_user_model()):
        actor = request.user
    if organization is None and actor is not None:
        organization = actor.organization
    return AuditEvent.objects.create(
        action=action,
        actor=actor,
        organization=organization,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        patient_id=patient_id,
        ip=client_ip(request) if request is not None else None,
        request_id=getattr(request, "request_id", "") if request is not None else "",
        details=details or {},
    )
