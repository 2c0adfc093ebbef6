from django.core.validators import URLValidator
from rest_framework import serializers

from heartmon.outbox.models import Attempt, Message, Webhook


class WebhookSerializer(serializers.ModelSerializer[Webhook]):
    url = serializers.CharField(
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text="http(s) address events are POSTed to.",
    )
    secret = serializers.CharField(
        write_only=True,
        min_length=16,
        max_length=200,
        help_text=(
            "Signs each body: `X-Heartmon-Signature: sha256=<hex HMAC-SHA256 of the body>`. "
            "Never shown again."
        ),
    )

    class Meta:
        model = Webhook
        fields = ["id", "url", "secret", "description", "active", "created_at"]
        read_only_fields = ["id", "created_at"]


class AttemptSerializer(serializers.ModelSerializer[Attempt]):
    class Meta:
        model = Attempt
        fields = ["at", "ok", "http_status", "error", "duration_ms"]


class DeliverySerializer(serializers.ModelSerializer[Message]):
    attempts = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "event",
            "payload",
            "status",
            "created_at",
            "attempt_count",
            "next_attempt_at",
            "finished_at",
            "attempts",
        ]
