from django.apps import AppConfig


class AlarmsConfig(AppConfig):
    name = "heartmon.alarms"
    label = "alarms"
    verbose_name = "Alarms"

    def ready(self) -> None:
        from heartmon.alarms import receivers  # noqa: F401 (connects the receivers)
