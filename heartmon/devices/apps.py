from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "heartmon.devices"
    label = "devices"
    verbose_name = "Devices"
