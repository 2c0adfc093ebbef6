"""`heartmon demo_data`: a demo organization with one user of every role, safe to run again."""

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand
from django.db import transaction

from heartmon.accounts.models import Organization, User
from heartmon.core.roles import Role

DEMO_ORGANIZATION = "Demo Hospital"
DEMO_DOMAIN = "demo.heartmon.test"


def demo_email(role: Role) -> str:
    return f"{role.value}@{DEMO_DOMAIN}"


def strong_password() -> str:
    password = secrets.token_urlsafe(15)  # 20 characters, 120 bits
    validate_password(password)
    return password


class Command(BaseCommand):
    help = (
        f"Create the organization {DEMO_ORGANIZATION!r} with one active user of every role "
        f"(<role>@{DEMO_DOMAIN}). Passwords are printed once, when a user is created."
    )

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(name=DEMO_ORGANIZATION).first()
        if organization is None:
            organization = Organization.objects.create(name=DEMO_ORGANIZATION)
            self.stdout.write(f"Created organization {DEMO_ORGANIZATION!r}.")
        else:
            self.stdout.write(f"Organization {DEMO_ORGANIZATION!r} exists.")
        created = [self._ensure_user(organization, role) for role in Role]
        if any(created):
            self.stdout.write(self.style.WARNING("These passwords are shown only this once."))
        else:
            self.stdout.write(
                "All demo users exist; their passwords were printed when they were created. "
                "To set a new one: heartmon changepassword <email>"
            )

    def _ensure_user(self, organization: Organization, role: Role) -> bool:
        email = demo_email(role)
        if User.objects.filter(email=email).exists():
            self.stdout.write(f"User {email} ({role.value}) exists.")
            return False
        password = strong_password()
        User.objects.create_user(
            email=email,
            password=password,
            organization=organization,
            role=role,
            first_name="Demo",
            last_name=role.label,
        )
        self.stdout.write(f"Created {role.value:<10} {email:<32} password: {password}")
        return True
