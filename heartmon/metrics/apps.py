import os

from django.apps import AppConfig


class MetricsConfig(AppConfig):
    name = "heartmon.metrics"
    label = "metrics"

    def ready(self) -> None:
        from heartmon.metrics import tasks  # noqa: F401  (connects the Celery signal handlers)

        # Under several processes each writes its samples here; a missing folder would make
        # every recorded metric raise.
        folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if folder:
            os.makedirs(folder, exist_ok=True)
