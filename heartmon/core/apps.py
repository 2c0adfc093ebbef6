from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "heartmon.core"
    label = "core"

    def ready(self) -> None:
        from heartmon.core import checks  # noqa: F401  (registers the system checks)
