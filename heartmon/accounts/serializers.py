from rest_framework import serializers

from heartmon.accounts.models import Organization, User, e164_validator
from heartmon.core.roles import Role


class OrganizationSerializer(serializers.ModelSerializer[Organization]):
    class Meta:
        model = Organization
        fields = ["id", "name", "created_at"]
        read_only_fields = ["id", "created_at"]


class OrganizationRefSerializer(serializers.ModelSerializer[Organization]):
    class Meta:
        model = Organization
        fields = ["id", "name"]


class UserSerializer(serializers.ModelSerializer[User]):
    """A user as admins see and change them: role and active state are theirs to set."""

    organization = OrganizationRefSerializer(read_only=True)
    invitation_pending = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "phone",
            "role",
            "is_active",
            "organization",
            "invitation_pending",
            "date_joined",
            "last_login",
        ]
        read_only_fields = ["id", "email", "organization", "date_joined", "last_login"]
        extra_kwargs = {"role": {"required": False}}

    def get_invitation_pending(self, user: User) -> bool:
        return not user.has_usable_password()


class ProfileSerializer(serializers.ModelSerializer[User]):
    """One's own profile: role and organization are read-only here."""

    organization = OrganizationRefSerializer(read_only=True)
    two_factor_enabled = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "phone",
            "role",
            "organization",
            "is_superuser",
            "two_factor_enabled",
            "date_joined",
            "last_login",
        ]
        read_only_fields = [
            "id",
            "email",
            "role",
            "organization",
            "is_superuser",
            "date_joined",
            "last_login",
        ]

    def get_two_factor_enabled(self, user: User) -> bool:
        return user.totpdevice_set.filter(confirmed=True).exists()  # type: ignore[attr-defined]


class InvitationSerializer(serializers.Serializer[User]):
    email = serializers.EmailField(max_length=254)
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    role = serializers.ChoiceField(choices=Role.choices)


class RegistrationSerializer(serializers.Serializer[None]):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, write_only=True, trim_whitespace=False)
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150)
    organization_name = serializers.CharField(max_length=200)
    phone = serializers.CharField(
        max_length=16, required=False, allow_blank=True, validators=[e164_validator]
    )


class LinkSerializer(serializers.Serializer[None]):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)


class AcceptInvitationSerializer(LinkSerializer):
    password = serializers.CharField(max_length=128, trim_whitespace=False)


class CredentialsSerializer(serializers.Serializer[None]):
    email = serializers.EmailField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    otp = serializers.RegexField(r"^\d{6,8}$", required=False, allow_blank=True)


class TokenPairSerializer(serializers.Serializer[None]):
    access = serializers.CharField()
    refresh = serializers.CharField()


class RefreshSerializer(serializers.Serializer[None]):
    refresh = serializers.CharField(max_length=2048)


class PasswordChangeSerializer(serializers.Serializer[None]):
    old_password = serializers.CharField(max_length=128, trim_whitespace=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)


class PasswordResetRequestSerializer(serializers.Serializer[None]):
    email = serializers.EmailField(max_length=254)


class PasswordResetConfirmSerializer(serializers.Serializer[None]):
    """Either {uid, token} from the e-mailed link or {email, code} from the e-mailed code."""

    uid = serializers.CharField(max_length=64, required=False)
    token = serializers.CharField(max_length=128, required=False)
    email = serializers.EmailField(max_length=254, required=False)
    code = serializers.RegexField(r"^\d{6}$", required=False)
    new_password = serializers.CharField(max_length=128, trim_whitespace=False)

    def validate(self, attrs: dict[str, str]) -> dict[str, str]:
        by_link = "uid" in attrs and "token" in attrs
        by_code = "email" in attrs and "code" in attrs
        if by_link == by_code:
            raise serializers.ValidationError("Send either uid and token, or email and code.")
        return attrs


class OtpCodeSerializer(serializers.Serializer[None]):
    code = serializers.RegexField(r"^\d{6,8}$")


class TotpSetupSerializer(serializers.Serializer[None]):
    otpauth_uri = serializers.CharField()
    secret = serializers.CharField()


class DetailSerializer(serializers.Serializer[None]):
    detail = serializers.CharField()
