"""The durable outbox: every message heartmon sends (e-mail, webhook) is a row written in the
transaction of the change that causes it, delivered later by a worker, retried with backoff and
logged attempt by attempt. The organization is named by a string reference: accounts sits above
this app and uses it."""

import uuid

from django.db import models

from heartmon.core.tenancy import TenantQuerySet


class Kind(models.TextChoices):
    EMAIL = "email", "E-mail"
    WEBHOOK = "webhook", "Webhook"


class Status(models.TextChoices):
    PENDING = "pending", "Pending"  # waiting for its first or next attempt
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"  # still refused when its retry period ended


class Webhook(models.Model):
    """Where an organization wants its events POSTed, signed with its secret."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.URLField(max_length=500)
    secret = models.CharField(max_length=200)
    description = models.CharField(max_length=200, blank=True)
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.url


class Message(models.Model):
    """One e-mail to one address, or one event to one webhook."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    webhook = models.ForeignKey(
        Webhook, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    recipient = models.CharField(max_length=254, blank=True)  # an e-mail address
    subject = models.CharField(max_length=200, blank=True)
    # Erased once the message leaves the outbox: the links and codes of account e-mails never
    # stay in the database.
    body = models.TextField(blank=True)
    html = models.TextField(blank=True)
    event = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    next_attempt_at = models.DateTimeField()
    attempt_count = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="outbox_message_due",
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="email", webhook__isnull=True)
                | models.Q(kind="webhook", webhook__isnull=False),
                name="outbox_message_webhook_iff_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"


class Attempt(models.Model):
    """One try at delivering a message: how it went and how long it took."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attempts")
    at = models.DateTimeField()
    ok = models.BooleanField()
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.message_id} at {self.at:%Y-%m-%d %H:%M:%S}: {'ok' if self.ok else 'failed'}"
