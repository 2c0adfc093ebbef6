from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from heartmon.accounts.models import Organization, User


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ["name", "id", "created_at"]
    search_fields = ["name", "id"]
    list_filter = ["created_at"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "organization", "role", "is_active"]
    list_filter = ["role", "is_active", "is_superuser", "organization"]
    search_fields = ["email", "first_name", "last_name"]
    list_select_related = ["organization"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "phone")}),
        ("Organization", {"fields": ("organization", "role")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {
            "classes": ("wide",),
            "fields": ("email", "first_name", "last_name", "organization", "role",
                       "password1", "password2"),
        }),
    )
