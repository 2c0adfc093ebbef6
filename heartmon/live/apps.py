from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "heartmon.live"
    label = "live"
    verbose_name = "Live monitoring"

    def ready(self) -> None:
        from heartmon.live import mqtt, receivers

        receivers.connect()
        mqtt.register()
