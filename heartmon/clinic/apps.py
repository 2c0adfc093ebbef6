from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "heartmon.clinic"
    label = "clinic"
    verbose_name = "Clinic"
