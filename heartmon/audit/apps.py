from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "heartmon.audit"
    label = "audit"
    verbose_name = "Audit"
