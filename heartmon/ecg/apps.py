from django.apps import AppConfig


class EcgConfig(AppConfig):
    name = "heartmon.ecg"
    label = "ecg"
    verbose_name = "ECG"
