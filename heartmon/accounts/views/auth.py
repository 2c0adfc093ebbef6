"""Authentication endpoints: sign-up, activation, invitations, JWT (Bearer), passwords, 2FA."""

from base64 import b32encode
from typing import Any

from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.views import TokenRefreshView

from heartmon.accounts import serializers as s
from heartmon.accounts.authentication import signed_in_user
from heartmon.accounts.lockout import AxesGate
from heartmon.accounts.services import passwords, sessions, signup, two_factor, users
from heartmon.accounts.throttles import (
    PER_IP,
    LoginAccountThrottle,
    MailAddressThrottle,
    RefreshTokenThrottle,
)
from heartmon.core.actor import actor_of
from heartmon.core.schema import problems
from heartmon.core.validation import validated

ACCEPTED = "If the details are right, an e-mail is on its way."


class AnonymousView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    throttle_classes = [PER_IP]


class MailingView(AnonymousView):
    """Sends a stranger an e-mail: limited per client IP and per address."""

    throttle_scope = "anonymous_mail"
    throttle_classes = [PER_IP, MailAddressThrottle]


class RegisterView(MailingView):
    @extend_schema(
        summary="Register a new organization",
        description=(
            "Creates an organization with the registrant as its admin, inactive until the link "
            "e-mailed to them is followed. The answer is the same whether or not the address "
            "already has an account (its owner is told by e-mail instead)."
        ),
        request=s.RegistrationSerializer,
        responses={202: s.DetailSerializer, **problems(400, 429, 503)},
        examples=[
            OpenApiExample(
                "Sign-up",
                request_only=True,
                value={
                    "email": "ana@stmary.example",
                    "password": "correct horse battery",
                    "first_name": "Ana",
                    "last_name": "Lopez",
                    "organization_name": "St Mary's",
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        signup.register_organization(
            actor=actor_of(request), **validated(s.RegistrationSerializer, request)
        )
        return Response({"detail": ACCEPTED}, status=status.HTTP_202_ACCEPTED)


class ResendActivationView(MailingView):
    @extend_schema(
        summary="Ask for a new activation link by e-mail",
        description=(
            "For an account that registered and was never activated (the first e-mail lost or "
            "expired). Always 202, whatever the address; its owner is told by e-mail what, if "
            "anything, was done."
        ),
        request=s.PasswordResetRequestSerializer,
        responses={202: s.DetailSerializer, **problems(400, 429, 503)},
    )
    def post(self, request: Request) -> Response:
        signup.resend_activation(
            actor=actor_of(request), **validated(s.PasswordResetRequestSerializer, request)
        )
        return Response({"detail": ACCEPTED}, status=status.HTTP_202_ACCEPTED)


class ActivateView(AnonymousView):
    throttle_scope = "one_time_code"

    @extend_schema(
        summary="Activate an account from its e-mailed link",
        request=s.LinkSerializer,
        responses={200: s.ProfileSerializer, **problems(400, 429, 503)},
    )
    def post(self, request: Request) -> Response:
        user = signup.activate_account(
            actor=actor_of(request), **validated(s.LinkSerializer, request)
        )
        return Response(s.ProfileSerializer(user).data)


class AcceptInvitationView(AnonymousView):
    throttle_scope = "one_time_code"

    @extend_schema(
        summary="Accept an invitation: choose a password and activate",
        request=s.AcceptInvitationSerializer,
        responses={200: s.ProfileSerializer, **problems(400, 429, 503)},
    )
    def post(self, request: Request) -> Response:
        data = validated(s.AcceptInvitationSerializer, request)
        user = signup.accept_invitation(actor=actor_of(request), **data)
        return Response(s.ProfileSerializer(user).data)


class TokenObtainView(AnonymousView):
    throttle_scope = "login_ip"
    throttle_classes = [PER_IP, LoginAccountThrottle]

    @extend_schema(
        summary="Sign in: get an access and a refresh token",
        description="With two-factor sign-in on, `otp` (the app's current code) is required.",
        request=s.CredentialsSerializer,
        responses={200: s.TokenPairSerializer, **problems(400, 401, 429)},
        examples=[
            OpenApiExample(
                "Sign-in",
                request_only=True,
                value={
                    "email": "ana@stmary.example",
                    "password": "correct horse battery",
                },
            )
        ],
    )
    def post(self, request: Request) -> Response:
        user = sessions.log_in(
            gate=AxesGate(request._request),
            actor=actor_of(request),
            **validated(s.CredentialsSerializer, request),
        )
        return Response(sessions.issue_tokens(user))


class TokenRefresh(TokenRefreshView):
    throttle_classes = [PER_IP, RefreshTokenThrottle]
    throttle_scope = "token_refresh_ip"

    @extend_schema(
        summary="Exchange a refresh token for a new pair (the old refresh token dies)",
        responses={200: s.TokenPairSerializer, **problems(400, 401, 429)},
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)


class LogoutView(APIView):
    @extend_schema(
        summary="Sign out: blacklist the refresh token",
        request=s.RefreshSerializer,
        responses={204: None, **problems(400, 401)},
    )
    def post(self, request: Request) -> Response:
        data = validated(s.RefreshSerializer, request)
        sessions.log_out(actor=actor_of(request), **data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(
        summary="Your own profile", responses={200: s.ProfileSerializer, **problems(401)}
    )
    def get(self, request: Request) -> Response:
        return Response(s.ProfileSerializer(signed_in_user(request)).data)

    @extend_schema(
        summary="Change your name or phone (role and organization are read-only)",
        request=s.ProfileSerializer,
        responses={200: s.ProfileSerializer, **problems(400, 401)},
    )
    def patch(self, request: Request) -> Response:
        serializer = s.ProfileSerializer(signed_in_user(request), data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        user = users.update_profile(user=signed_in_user(request), changes=serializer.validated_data)
        return Response(s.ProfileSerializer(user).data)


class PasswordChangeView(APIView):
    @extend_schema(
        summary="Change your password (signs you out everywhere; returns a new token pair)",
        request=s.PasswordChangeSerializer,
        responses={200: s.TokenPairSerializer, **problems(400, 401)},
    )
    def post(self, request: Request) -> Response:
        data = validated(s.PasswordChangeSerializer, request)
        passwords.change_password(user=signed_in_user(request), actor=actor_of(request), **data)
        return Response(sessions.issue_tokens(signed_in_user(request)))


class PasswordResetView(MailingView):
    @extend_schema(
        summary="Ask for a password reset link and code by e-mail",
        description="Always 202, whether or not the address has an account.",
        request=s.PasswordResetRequestSerializer,
        responses={202: s.DetailSerializer, **problems(400, 429, 503)},
    )
    def post(self, request: Request) -> Response:
        passwords.request_password_reset(
            actor=actor_of(request), **validated(s.PasswordResetRequestSerializer, request)
        )
        return Response({"detail": ACCEPTED}, status=status.HTTP_202_ACCEPTED)


class PasswordResetConfirmView(AnonymousView):
    throttle_scope = "one_time_code"

    @extend_schema(
        summary="Set a new password with the e-mailed link ({uid, token}) or code ({email, code})",
        request=s.PasswordResetConfirmSerializer,
        responses={204: None, **problems(400, 429, 503)},
        examples=[
            OpenApiExample(
                "By link",
                request_only=True,
                value={"uid": "MTIz", "token": "…", "new_password": "a new long passphrase"},
            ),
            OpenApiExample(
                "By code",
                request_only=True,
                value={
                    "email": "ana@stmary.example",
                    "code": "123456",
                    "new_password": "a new long passphrase",
                },
            ),
        ],
    )
    def post(self, request: Request) -> Response:
        data = validated(s.PasswordResetConfirmSerializer, request)
        if "code" in data:
            passwords.reset_password_with_code(
                email=data["email"],
                code=data["code"],
                new_password=data["new_password"],
                actor=actor_of(request),
            )
        else:
            passwords.reset_password_with_link(
                uid=data["uid"],
                token=data["token"],
                new_password=data["new_password"],
                actor=actor_of(request),
            )
        return Response(status=status.HTTP_204_NO_CONTENT)


class TotpSetupView(APIView):
    @extend_schema(
        summary="Start two-factor set-up: returns the otpauth:// URI for an authenticator app",
        request=None,
        responses={201: s.TotpSetupSerializer, **problems(401, 409)},
    )
    def post(self, request: Request) -> Response:
        device = two_factor.start_totp_setup(user=signed_in_user(request))
        body = {"otpauth_uri": device.config_url, "secret": b32encode(device.bin_key).decode()}
        return Response(body, status=status.HTTP_201_CREATED)


class TotpConfirmView(APIView):
    @extend_schema(
        summary="Turn two-factor sign-in on with the app's current code",
        request=s.OtpCodeSerializer,
        responses={204: None, **problems(400, 401, 409)},
    )
    def post(self, request: Request) -> Response:
        code = validated(s.OtpCodeSerializer, request)["code"]
        two_factor.confirm_totp(user=signed_in_user(request), code=code, actor=actor_of(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class TotpDisableView(APIView):
    @extend_schema(
        summary="Turn two-factor sign-in off with the app's current code",
        request=s.OtpCodeSerializer,
        responses={204: None, **problems(400, 401, 409)},
    )
    def post(self, request: Request) -> Response:
        code = validated(s.OtpCodeSerializer, request)["code"]
        two_factor.disable_totp(user=signed_in_user(request), code=code, actor=actor_of(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
