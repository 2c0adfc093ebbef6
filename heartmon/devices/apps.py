from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "heartmon.devices"
    label = "devices"
    verbose_name = "Devices"

    def ready(self) -> None:
        from heartmon.devices import schema  # noqa: F401  (OpenAPI extensions)
