from django.urls import path

from heartmon.web.views import account, administration, alarms, clinical, operations

app_name = "web"

urlpatterns = [
    path("", account.home, name="home"),
    path("signin", account.signin, name="signin"),
    path("register", account.register, name="register"),
    path("activate", account.activate, name="activate"),
    path("accept-invite", account.accept_invite, name="accept-invite"),
    path("reset-password", account.reset_password, name="reset-password"),
    path("account", account.account, name="account"),
    path("account/two-factor/qr.svg", account.totp_qr, name="totp-qr"),
    path("alarms", alarms.alarms, name="alarms"),
    path("alarms/<uuid:pk>", alarms.alarm, name="alarm"),
    path("patients", clinical.patients, name="patients"),
    path("patients/<uuid:pk>", clinical.patient, name="patient"),
    path("ecg/<uuid:pk>", clinical.ecg_viewer, name="ecg"),
    path("admissions", operations.admissions, name="admissions"),
    path("devices", operations.devices, name="devices"),
    path("devices/<uuid:pk>", operations.device, name="device"),
    path("users", administration.users, name="users"),
    path("places", administration.places, name="places"),
    path("alarm-rules", administration.alarm_rules, name="alarm-rules"),
    path("webhooks", administration.webhooks, name="webhooks"),
    path("audit", administration.audit, name="audit"),
]
