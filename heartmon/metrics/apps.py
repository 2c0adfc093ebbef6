from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "heartmon.metrics"
    label = "metrics"

    def ready(self) -> None:
        from heartmon.metrics import tasks  # noqa: F401  (connects the Celery signal handlers)
