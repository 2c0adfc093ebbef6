from django.urls import path
from rest_framework.routers import SimpleRouter

from heartmon.telemetry.views.aggregate import AggregateView
from heartmon.telemetry.views.heart_rates import HeartRateViewSet
from heartmon.telemetry.views.observations import ObservationsView
from heartmon.telemetry.views.readings import ReadingViewSet

router = SimpleRouter()
router.register("readings", ReadingViewSet, basename="reading")
router.register("heart-rates", HeartRateViewSet, basename="heart-rate")

urlpatterns = [
    path("readings/aggregate/", AggregateView.as_view(), name="reading-aggregate"),
    path(
        "patients/<uuid:patient_pk>/observations/",
        ObservationsView.as_view(),
        name="patient-observations",
    ),
    *router.urls,
]
