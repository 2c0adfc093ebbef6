from django.apps import AppConfig


class FhirConfig(AppConfig):
    name = "heartmon.fhir"
    label = "fhir"
    verbose_name = "FHIR"
