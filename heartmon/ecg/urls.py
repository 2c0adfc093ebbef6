from django.urls import path
from rest_framework.routers import SimpleRouter

from heartmon.ecg.views import RecordingDataView, RecordingEventsView, RecordingViewSet

router = SimpleRouter()
router.register("recordings", RecordingViewSet, basename="ecg-recording")

urlpatterns = [
    path("data/", RecordingDataView.as_view(), name="ecg-data"),
    path(
        "recordings/<uuid:pk>/events/",
        RecordingEventsView.as_view(),
        name="ecg-recording-events",
    ),
    *router.urls,
]
