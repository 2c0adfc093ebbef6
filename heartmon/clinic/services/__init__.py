"""Writes with rules for the clinic: one module per resource."""

from typing import Any

from heartmon.accounts.models import Organization
from heartmon.core.errors import Conflict


def organization_of(actor: Any) -> Organization:
    """The organization a new place or patient lands in: the actor's own."""
    if actor.organization is None:
        raise Conflict(
            "You belong to no organization: manage this organization's data through the admin.",
            code="no_organization",
        )
    organization: Organization = actor.organization
    return organization
