from django.urls import path
from rest_framework.routers import SimpleRouter

from heartmon.ecg.views.data import RecordingDataView
from heartmon.ecg.views.recordings import RecordingViewSet

router = SimpleRouter()
router.register("recordings", RecordingViewSet, basename="ecg-recording")

urlpatterns = [path("data/", RecordingDataView.as_view(), name="ecg-data"), *router.urls]
