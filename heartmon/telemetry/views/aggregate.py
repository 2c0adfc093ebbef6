"""/readings/aggregate/: reference 004's time-window statistics, computed in SQL."""

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from heartmon.audit.mixins import AuditedReadMixin
from heartmon.audit.models import AuditAction
from heartmon.core.actor import actor_of
from heartmon.core.schema import problems
from heartmon.core.validation import validated_query
from heartmon.devices.models import Device
from heartmon.telemetry import serializers as s
from heartmon.telemetry.queries import aggregate_readings
from heartmon.telemetry.views.access import ReadingsAccess


class AggregateView(ReadingsAccess, AuditedReadMixin):
    @extend_schema(
        summary="Per device: mean (and min, max, count) of each time bucket in a window",
        description=(
            "Reference 004's shape. One metric (heart_rate by default; 004's readings are "
            "`generic`); `end` defaults to now, `start` to 24 hours before it (on the minute); "
            "buckets are aligned on `start`, empty buckets and devices without readings are left "
            "out. At most 100,000 buckets (window / bucket x devices in scope). Audited."
        ),
        parameters=[s.AggregateQuerySerializer],
        responses={200: s.AGGREGATE_RESPONSE, **problems(400, 401, 403)},
    )
    def get(self, request: Request) -> Response:
        params = validated_query(s.AggregateQuerySerializer, request)
        devices = Device.objects.visible_to(actor_of(request)).only("id", "organization_id")
        if "device" in params:
            devices = devices.filter(pk=params["device"])
        aggregation = aggregate_readings(
            devices=list(devices),
            metric=params["metric"],
            start=params["start"],
            end=params["end"],
            bucket_minutes=params["bucket_minutes"],
            stats=params["stats"],
            patient_id=params.get("patient"),
        )
        self.audit_read(
            AuditAction.READINGS_AGGREGATED,
            patient_ids=aggregation.window.patient_ids(),
            device_ids=[entry["device_id"] for entry in aggregation.data],
        )
        return Response({"data": aggregation.data})
