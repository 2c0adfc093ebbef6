"""The one way views audit reads of patient data."""

import uuid
from collections.abc import Iterable
from typing import Any

from django.db import models
from rest_framework.views import APIView

from heartmon.audit.services import record_read
from heartmon.core.actor import actor_of


# A view that returns patient data records, once per request, whose data it returned. (A comment,
# not a docstring: the OpenAPI schema would show it as the description of every such view.)
class AuditedReadMixin(APIView):
    def audit_read(
        self,
        action: str,
        *,
        patient_ids: Iterable[uuid.UUID | str | None],
        target: models.Model | None = None,
        **details: Any,
    ) -> None:
        record_read(
            action,
            actor=actor_of(self.request),
            patient_ids=patient_ids,
            query=self.request.GET.urlencode(),
            target=target,
            organization_id=getattr(target, "organization_id", None),
            details=details,
        )
