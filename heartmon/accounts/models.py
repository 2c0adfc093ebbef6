import uuid
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from heartmon.core.actor import Actor
from heartmon.core.roles import Role
from heartmon.core.tenancy import TenantQuerySet

e164_validator = RegexValidator(
    r"^\+[1-9]\d{6,14}$", "Enter the phone number in E.164 form, such as +14155550123."
)


class OrganizationQuerySet(TenantQuerySet["Organization"]):
    tenant_lookup = "pk"


class Organization(models.Model):
    """A hospital, clinic or monitoring customer: the tenant every clinical object belongs to."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class HeartmonUserManager(UserManager.from_queryset(TenantQuerySet)):  # type: ignore[misc]
    """Users log in with their e-mail address, kept in lower case."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        if extra_fields.get("is_active", True):
            extra_fields.setdefault("activated_at", timezone.now())
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(
        self, email: str, password: str | None = None, **extra_fields: Any
    ) -> "User":
        extra_fields.setdefault("role", Role.ADMIN)
        return self._create_user(email, password, is_staff=True, is_superuser=True, **extra_fields)


class User(AbstractUser):
    """A person using heartmon. Belongs to one organization (superusers may belong to none)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    username = None  # type: ignore[assignment]
    email = models.EmailField("e-mail address", max_length=254, unique=True)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="users", null=True, blank=True
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    phone = models.CharField(max_length=16, blank=True, validators=[e164_validator])
    # When the account was first activated (registration link, accepted invitation): an inactive
    # user without it may ask for a new activation link; one deactivated by an admin may not.
    activated_at = models.DateTimeField(null=True, blank=True)
    # Raised by a password change or reset and by deactivation: every token carries the epoch it
    # was issued in, and one from an earlier epoch is refused (accounts.jwt).
    token_epoch = models.PositiveIntegerField(default=0)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = HeartmonUserManager()  # type: ignore[misc]

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
            models.CheckConstraint(
                condition=models.Q(is_superuser=True) | models.Q(organization__isnull=False),
                name="accounts_user_belongs_to_organization",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def awaits_activation(self) -> bool:
        """Registered, never activated (an invitee has no password until they accept)."""
        return not self.is_active and self.activated_at is None and self.has_usable_password()

    def as_actor(self, *, ip: str | None = None, request_id: str = "") -> Actor:
        return Actor(
            organization_id=self.organization_id,
            user_id=self.pk,
            role=self.role,
            is_superuser=self.is_superuser,
            ip=ip,
            request_id=request_id,
        )
