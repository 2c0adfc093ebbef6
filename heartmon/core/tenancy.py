"""Tenancy in one place: every scoped queryset answers `visible_to(user)`."""

from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class TenantQuerySet(models.QuerySet[M]):
    """Rows of the user's organization; every row for a superuser; none for anyone else.

    `tenant_lookup` names the path from the row to its organization's id."""

    tenant_lookup = "organization_id"

    def visible_to(self, user: Any) -> "TenantQuerySet[M]":
        if not user or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(**{self.tenant_lookup: user.organization_id})
