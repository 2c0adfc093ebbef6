from datetime import date
from typing import Any

from django.utils import timezone
from rest_framework import serializers

from heartmon.accounts.models import User
from heartmon.clinic.models import Admission, CareTeamMember, Patient, Place, Transfer
from heartmon.core.fields import VisibleIdField
from heartmon.devices.models import Device, DeviceAssignment

EARLIEST_BIRTH_DATE = date(1900, 1, 1)


class PlaceSerializer(serializers.ModelSerializer[Place]):
    # The model's field name, shadowing Field.parent, which DRF's metaclass takes off the class.
    parent = VisibleIdField(  # type: ignore[assignment]
        queryset=Place.objects.all(), allow_null=True, required=False
    )
    occupied = serializers.BooleanField(
        read_only=True, help_text="For a bed: whether an open admission holds it."
    )

    class Meta:
        model = Place
        fields = ["id", "kind", "name", "parent", "occupied", "created_at"]
        read_only_fields = ["id", "created_at"]


class PlaceChangeSerializer(PlaceSerializer):
    """A place is renamed or moved; its kind is fixed at creation."""

    class Meta(PlaceSerializer.Meta):
        read_only_fields = ["id", "kind", "created_at"]


class PatientSummarySerializer(serializers.ModelSerializer[Patient]):
    """What every role sees, technicians included: no notes, no contact details."""

    age = serializers.IntegerField(read_only=True, allow_null=True, help_text="In whole years.")

    class Meta:
        model = Patient
        fields = [
            "id",
            "patient_number",
            "given_name",
            "family_name",
            "birth_date",
            "age",
            "sex",
            "archived_at",
        ]
        read_only_fields = fields


class PatientSerializer(serializers.ModelSerializer[Patient]):
    """A patient as clinicians and registrars see and change them."""

    age = serializers.IntegerField(read_only=True, allow_null=True, help_text="In whole years.")

    class Meta:
        model = Patient
        fields = [
            "id",
            "patient_number",
            "given_name",
            "family_name",
            "birth_date",
            "age",
            "sex",
            "phone",
            "email",
            "address",
            "notes",
            "created_by",
            "created_at",
            "updated_at",
            "archived_at",
        ]
        read_only_fields = ["id", "created_by", "created_at", "updated_at", "archived_at"]
        # Uniqueness of the number is the database's to enforce (409), not a racy pre-check.
        validators: list[Any] = []

    def validate_birth_date(self, value: date | None) -> date | None:
        if value is not None and value > timezone.localdate():
            raise serializers.ValidationError("The birth date cannot be in the future.")
        if value is not None and value < EARLIEST_BIRTH_DATE:
            raise serializers.ValidationError("The birth date cannot be before 1900.")
        return value


class PatientRefSerializer(serializers.ModelSerializer[Patient]):
    class Meta:
        model = Patient
        fields = ["id", "patient_number", "given_name", "family_name"]


class UserRefSerializer(serializers.ModelSerializer[User]):
    class Meta:
        model = User
        fields = ["id", "email", "first_name", "last_name", "role"]


class CareTeamMemberSerializer(serializers.ModelSerializer[CareTeamMember]):
    user = UserRefSerializer(read_only=True)

    class Meta:
        model = CareTeamMember
        fields = ["id", "user", "role", "added_at"]


class CareTeamAddSerializer(serializers.ModelSerializer[CareTeamMember]):
    user = VisibleIdField(queryset=User.objects.filter(is_active=True))

    class Meta:
        model = CareTeamMember
        fields = ["user", "role"]
        validators: list[Any] = []  # a duplicate member is the database's 409


class PlaceRefSerializer(serializers.ModelSerializer[Place]):
    class Meta:
        model = Place
        fields = ["id", "kind", "name"]


class DeviceRefSerializer(serializers.ModelSerializer[Device]):
    class Meta:
        model = Device
        fields = ["id", "serial_number", "model"]


class AdmissionDeviceSerializer(serializers.ModelSerializer[DeviceAssignment]):
    device = DeviceRefSerializer(read_only=True)

    class Meta:
        model = DeviceAssignment
        fields = ["id", "device", "started_at", "ended_at"]


class TransferSerializer(serializers.ModelSerializer[Transfer]):
    from_place = PlaceRefSerializer(read_only=True)
    to_place = PlaceRefSerializer(read_only=True)

    class Meta:
        model = Transfer
        fields = ["id", "from_place", "to_place", "reason", "moved_at", "moved_by"]


class AdmissionSerializer(serializers.ModelSerializer[Admission]):
    patient = PatientRefSerializer(read_only=True)
    place = PlaceRefSerializer(read_only=True)
    attending = UserRefSerializer(read_only=True, allow_null=True)
    devices = AdmissionDeviceSerializer(
        source="device_assignments",
        many=True,
        read_only=True,
        help_text="Devices attached during the admission; ended_at is null while attached.",
    )
    transfers = TransferSerializer(many=True, read_only=True)
    is_open = serializers.BooleanField(read_only=True)

    class Meta:
        model = Admission
        fields = [
            "id",
            "patient",
            "place",
            "bed",
            "attending",
            "reason",
            "devices",
            "transfers",
            "is_open",
            "admitted_at",
            "admitted_by",
            "discharged_at",
            "discharged_by",
            "discharge_reason",
        ]
        read_only_fields = fields


class AdmitSerializer(serializers.Serializer[None]):
    patient = VisibleIdField(queryset=Patient.objects.all())
    place = VisibleIdField(queryset=Place.objects.all(), help_text="A bed or a ward.")
    devices = VisibleIdField(queryset=Device.objects.all(), many=True, required=False)
    attending = VisibleIdField(
        queryset=User.objects.all(), allow_null=True, required=False, help_text="A doctor or admin."
    )
    reason = serializers.CharField(max_length=2000)


class TransferRequestSerializer(serializers.Serializer[None]):
    place = VisibleIdField(queryset=Place.objects.all(), help_text="A bed or a ward.")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DischargeSerializer(serializers.Serializer[None]):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class AssignSerializer(serializers.Serializer[None]):
    patient = VisibleIdField(queryset=Patient.objects.all())

    def validate_patient(self, patient: Patient) -> Patient:
        if patient.is_archived:
            raise serializers.ValidationError("This patient is archived: restore them first.")
        return patient
