"""Tenancy in one place: every scoped queryset answers `visible_to(actor)`."""

from typing import TypeVar

from django.db import models

from heartmon.core.actor import Actor

M = TypeVar("M", bound=models.Model)


class TenantQuerySet(models.QuerySet[M]):
    """Rows of the actor's organization; every row for a superuser; none for anyone else.

    `tenant_lookup` names the path from the row to its organization's id."""

    tenant_lookup = "organization_id"

    def visible_to(self, actor: Actor) -> "TenantQuerySet[M]":
        if actor.is_superuser:
            return self
        if actor.organization_id is None:
            return self.none()
        return self.filter(**{self.tenant_lookup: actor.organization_id})
