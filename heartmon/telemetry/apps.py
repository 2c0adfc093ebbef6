from django.apps import AppConfig


class TelemetryConfig(AppConfig):
    name = "heartmon.telemetry"
    label = "telemetry"
    verbose_name = "Telemetry"
