from django.contrib import admin

from heartmon.audit.admin import PatientDataAdmin
from heartmon.audit.models import AuditAction
from heartmon.clinic.models import Admission, CareTeamMember, Patient, Place, Transfer


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin[Place]):
    list_display = ["name", "kind", "parent", "organization"]
    list_filter = ["kind", "organization"]
    search_fields = ["name"]
    list_select_related = ["parent", "organization"]


@admin.register(Patient)
class PatientAdmin(PatientDataAdmin):
    read_actions = (AuditAction.PATIENTS_LISTED, AuditAction.PATIENT_VIEWED)
    patient_path = "pk"
    list_display = ["patient_number", "family_name", "given_name", "organization", "archived_at"]
    list_filter = ["sex", "organization", "archived_at"]
    search_fields = ["patient_number", "family_name", "given_name"]
    list_select_related = ["organization"]


@admin.register(CareTeamMember)
class CareTeamMemberAdmin(PatientDataAdmin):
    read_actions = (AuditAction.CARE_TEAM_VIEWED, AuditAction.CARE_TEAM_VIEWED)
    list_display = ["patient", "user", "role", "added_at"]
    list_filter = ["role"]
    search_fields = ["patient__patient_number", "user__email"]
    list_select_related = ["patient", "user"]


@admin.register(Admission)
class AdmissionAdmin(PatientDataAdmin):
    read_actions = (AuditAction.ADMISSIONS_LISTED, AuditAction.ADMISSION_VIEWED)
    list_display = ["patient", "place", "admitted_at", "discharged_at", "organization"]
    list_filter = ["organization", "admitted_at", "discharged_at"]
    search_fields = ["patient__patient_number", "place__name"]
    list_select_related = ["patient", "place", "organization"]


@admin.register(Transfer)
class TransferAdmin(PatientDataAdmin):
    read_actions = (AuditAction.ADMISSIONS_LISTED, AuditAction.ADMISSION_VIEWED)
    patient_path = "admission.patient_id"
    list_display = ["admission", "from_place", "to_place", "moved_at"]
    list_filter = ["moved_at"]
    search_fields = ["admission__patient__patient_number"]
    list_select_related = ["admission", "from_place", "to_place"]
