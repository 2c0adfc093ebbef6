from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from heartmon.core.health import healthz, readyz
from heartmon.metrics.views import metrics

api_v1 = [
    path("", include("heartmon.accounts.urls")),
    path("", include("heartmon.audit.urls")),
    path("", include("heartmon.outbox.urls")),
    path("", include("heartmon.clinic.urls")),
    path("", include("heartmon.devices.urls")),
    path("", include("heartmon.telemetry.urls")),
    path("ecg/", include("heartmon.ecg.urls")),
    path("", include("heartmon.alarms.urls")),
    path("live/", include("heartmon.live.urls")),
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("metrics", metrics, name="metrics"),
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema"), name="redoc"),
    path("api/v1/", include(api_v1)),
    path("fhir/R4/", include("heartmon.fhir.urls")),
    path("", include("heartmon.web.urls")),
]
