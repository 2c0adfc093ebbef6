"""The outbox in the Django admin: superusers look (what left, when, how each attempt went);
webhooks change through their API, and their secrets are never shown."""

from django.contrib import admin

from heartmon.core.admin import ViewOnlyAdmin
from heartmon.outbox.models import Attempt, Message, Webhook


@admin.register(Webhook)
class WebhookAdmin(ViewOnlyAdmin[Webhook]):
    list_display = ["url", "organization", "active", "created_at"]
    list_filter = ["active"]
    search_fields = ["url", "description"]
    exclude = ["secret"]


@admin.register(Message)
class MessageAdmin(ViewOnlyAdmin[Message]):
    list_display = ["created_at", "kind", "recipient", "event", "status", "attempt_count"]
    list_filter = ["kind", "status"]
    search_fields = ["recipient", "subject", "event"]
    exclude = ["body", "html"]  # a pending account e-mail carries a live link or code


@admin.register(Attempt)
class AttemptAdmin(ViewOnlyAdmin[Attempt]):
    list_display = ["at", "message", "ok", "http_status", "duration_ms"]
    list_filter = ["ok"]
