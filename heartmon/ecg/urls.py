from django.urls import path
from rest_framework.routers import SimpleRouter

from heartmon.ecg.views import RecordingDataView, RecordingViewSet

router = SimpleRouter()
router.register("recordings", RecordingViewSet, basename="ecg-recording")

urlpatterns = [
    path("data/", RecordingDataView.as_view(), name="ecg-data"),
    *router.urls,
]
