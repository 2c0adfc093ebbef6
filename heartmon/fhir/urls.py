from django.urls import path, re_path

from heartmon.fhir import export_views, views

urlpatterns = [
    path("metadata", views.MetadataView.as_view(), name="fhir-metadata"),
    path("$export", export_views.KickOffView.as_view(), name="fhir-export"),
    path("Patient/$export", export_views.PatientKickOffView.as_view(), name="fhir-patient-export"),
    path(
        "$export-status/<uuid:job_id>", export_views.StatusView.as_view(), name="fhir-export-status"
    ),
    path(
        "$export-file/<uuid:job_id>/<str:name>",
        export_views.FileView.as_view(),
        name="fhir-export-file",
    ),
    path("<str:resource_type>", views.SearchView.as_view(), name="fhir-search"),
    path("<str:resource_type>/<str:fhir_id>", views.ReadView.as_view(), name="fhir-read"),
    re_path(r"^(?P<path>.*)$", views.UnknownView.as_view(), name="fhir-unknown"),
]
