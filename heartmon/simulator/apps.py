from django.apps import AppConfig


class SimulatorConfig(AppConfig):
    name = "heartmon.simulator"
    label = "simulator"
    verbose_name = "Simulator"
