from django.urls import path
from rest_framework.routers import SimpleRouter

from heartmon.clinic.views.admissions import AdmissionViewSet, PatientAdmissionsView
from heartmon.clinic.views.device_assignments import DeviceAssignmentViewSet
from heartmon.clinic.views.patients import CareTeamViewSet, PatientViewSet
from heartmon.clinic.views.places import PlaceViewSet

router = SimpleRouter()
router.register("places", PlaceViewSet, basename="place")
router.register("patients", PatientViewSet, basename="patient")
router.register("admissions", AdmissionViewSet, basename="admission")
# Under the device's URL: devices/{id}/assign/ and unassign/ (no list or detail of its own).
router.register("devices", DeviceAssignmentViewSet, basename="device")

care_team = CareTeamViewSet.as_view({"get": "list", "post": "create"})
care_team_member = CareTeamViewSet.as_view({"delete": "destroy"})

urlpatterns = [
    path("patients/<uuid:patient_pk>/care-team/", care_team, name="care-team"),
    path(
        "patients/<uuid:patient_pk>/care-team/<int:pk>/",
        care_team_member,
        name="care-team-member",
    ),
    path(
        "patients/<uuid:patient_pk>/admissions/",
        PatientAdmissionsView.as_view(),
        name="patient-admissions",
    ),
    *router.urls,
]
