from rest_framework import serializers

from heartmon.audit.models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer[AuditEvent]):
    actor_email = serializers.EmailField(source="actor.email", read_only=True, default=None)

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor",
            "actor_email",
            "organization",
            "action",
            "object_type",
            "object_id",
            "patient_id",
            "ip",
            "request_id",
            "details",
        ]
        read_only_fields = fields
