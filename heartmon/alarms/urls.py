from django.urls import path
from rest_framework.routers import SimpleRouter

from heartmon.alarms.views.alarms import AlarmViewSet
from heartmon.alarms.views.news2 import News2ScaleView, News2View
from heartmon.alarms.views.rules import (
    AlarmRuleViewSet,
    EffectiveRulesView,
    PatientAlarmRuleViewSet,
)
from heartmon.alarms.views.settings import AlarmSettingsView

router = SimpleRouter()
router.register("alarm-rules", AlarmRuleViewSet, basename="alarm-rule")
router.register("alarms", AlarmViewSet, basename="alarm")

patient_rules = PatientAlarmRuleViewSet.as_view({"get": "list", "post": "create"})
patient_rule = PatientAlarmRuleViewSet.as_view({"patch": "partial_update", "delete": "destroy"})

urlpatterns = [
    path("alarm-settings/", AlarmSettingsView.as_view(), name="alarm-settings"),
    path("patients/<uuid:patient_pk>/news2/", News2View.as_view(), name="patient-news2"),
    path(
        "patients/<uuid:patient_pk>/news2/scale/",
        News2ScaleView.as_view(),
        name="patient-news2-scale",
    ),
    path(
        "patients/<uuid:patient_pk>/alarm-rules/effective/",
        EffectiveRulesView.as_view(),
        name="patient-alarm-rules-effective",
    ),
    path("patients/<uuid:patient_pk>/alarm-rules/", patient_rules, name="patient-alarm-rules"),
    path(
        "patients/<uuid:patient_pk>/alarm-rules/<uuid:pk>/",
        patient_rule,
        name="patient-alarm-rule",
    ),
    *router.urls,
]
