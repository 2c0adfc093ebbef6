from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "heartmon.web"
    label = "web"
    verbose_name = "Clinician web app"
