import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from heartmon.accounts.models import e164_validator
from heartmon.core.tenancy import TenantQuerySet


def age_on(birth_date: date, day: date) -> int:
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)


class PlaceKind(models.TextChoices):
    HOSPITAL = "hospital", "Hospital"
    CLINIC = "clinic", "Clinic"
    WARD = "ward", "Ward"
    BED = "bed", "Bed"


# The kinds a place may sit under (None: at the top). Kinds only ever nest downwards, so the tree
# cannot hold a cycle.
PARENT_KINDS: dict[str, frozenset[str | None]] = {
    PlaceKind.HOSPITAL: frozenset({None}),
    PlaceKind.CLINIC: frozenset({None, PlaceKind.HOSPITAL}),
    PlaceKind.WARD: frozenset({PlaceKind.HOSPITAL, PlaceKind.CLINIC}),
    PlaceKind.BED: frozenset({PlaceKind.WARD}),
}
# Patients are admitted to a bed, or to a ward when beds are not tracked.
ADMITTING_KINDS = frozenset({PlaceKind.WARD, PlaceKind.BED})


class Place(models.Model):
    """Hospitals, clinics, wards and beds of an organization, as a tree."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="places"
    )
    kind = models.CharField(max_length=16, choices=PlaceKind.choices)
    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "parent", "name"], name="clinic_place_unique_sibling_name"
            ),
            models.UniqueConstraint(
                fields=["organization", "name"],
                condition=models.Q(parent__isnull=True),
                name="clinic_place_unique_root_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"

    @property
    def is_bed(self) -> bool:
        return self.kind == PlaceKind.BED

    def may_sit_under(self, parent: "Place | None") -> bool:
        return (parent.kind if parent else None) in PARENT_KINDS[self.kind]


class Sex(models.TextChoices):
    """FHIR administrative gender."""

    MALE = "male", "Male"
    FEMALE = "female", "Female"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Unknown"


class PatientQuerySet(TenantQuerySet["Patient"]):
    def active(self) -> "PatientQuerySet":
        return self.filter(archived_at__isnull=True)

    def archived(self) -> "PatientQuerySet":
        return self.filter(archived_at__isnull=False)


class Patient(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="patients"
    )
    patient_number = models.CharField(max_length=64)
    given_name = models.CharField(max_length=150)
    family_name = models.CharField(max_length=150)
    birth_date = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    phone = models.CharField(max_length=16, blank=True, validators=[e164_validator])
    email = models.EmailField(max_length=254, blank=True)
    address = models.TextField(max_length=1000, blank=True)
    notes = models.TextField(max_length=10000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "patient_number"], name="clinic_patient_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.patient_number}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def age(self) -> int | None:
        return None if self.birth_date is None else age_on(self.birth_date, timezone.localdate())


class CareTeamRole(models.TextChoices):
    ATTENDING = "attending", "Attending physician"
    CONSULTANT = "consultant", "Consultant"
    PRIMARY_NURSE = "primary_nurse", "Primary nurse"
    NURSE = "nurse", "Nurse"
    OTHER = "other", "Other"


class CareTeamQuerySet(TenantQuerySet["CareTeamMember"]):
    tenant_lookup = "patient__organization_id"


class CareTeamMember(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="care_team")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=CareTeamRole.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    objects = CareTeamQuerySet.as_manager()

    class Meta:
        ordering = ["added_at"]
        constraints = [
            models.UniqueConstraint(fields=["patient", "user"], name="clinic_care_team_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ({self.role}) for {self.patient_id}"


class Admission(models.Model):
    """A patient's stay at a place; open until discharged. Devices are attached through
    devices.DeviceAssignment rows that point at the admission."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.PROTECT, related_name="admissions"
    )
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="admissions")
    place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="admissions")
    # The place when it is a bed, else null: lets the database hold one open admission per bed.
    bed = models.ForeignKey(
        Place, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    attending = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(max_length=2000)
    admitted_at = models.DateTimeField(default=timezone.now)
    admitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    discharged_at = models.DateTimeField(null=True, blank=True)
    discharged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    discharge_reason = models.TextField(max_length=2000, blank=True)

    objects = TenantQuerySet.as_manager()

    class Meta:
        ordering = ["-admitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(discharged_at__isnull=True),
                name="clinic_admission_one_open_per_patient",
            ),
            models.UniqueConstraint(
                fields=["bed"],
                condition=models.Q(discharged_at__isnull=True),
                name="clinic_admission_one_open_per_bed",
            ),
        ]

    def __str__(self) -> str:
        return f"Admission {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.discharged_at is None


class Transfer(models.Model):
    """A move of an open admission from one place to another: the admission's place history."""

    admission = models.ForeignKey(Admission, on_delete=models.PROTECT, related_name="transfers")
    from_place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    to_place = models.ForeignKey(Place, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(max_length=2000, blank=True)
    moved_at = models.DateTimeField(default=timezone.now)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["moved_at"]

    def __str__(self) -> str:
        return f"{self.from_place_id} -> {self.to_place_id}"
