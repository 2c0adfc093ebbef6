from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "heartmon.outbox"
    label = "outbox"
    verbose_name = "Outbox"
