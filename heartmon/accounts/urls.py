from django.urls import path
from rest_framework.routers import SimpleRouter

from heartmon.accounts.views import auth, cookies
from heartmon.accounts.views.users import OrganizationViewSet, UserViewSet

router = SimpleRouter()
router.register("users", UserViewSet, basename="user")
router.register("organizations", OrganizationViewSet, basename="organization")

urlpatterns = [
    path("auth/register/", auth.RegisterView.as_view(), name="register"),
    path("auth/activate/", auth.ActivateView.as_view(), name="activate"),
    path("auth/activate/resend/", auth.ResendActivationView.as_view(), name="activation-resend"),
    path("auth/invitation/accept/", auth.AcceptInvitationView.as_view(), name="accept-invitation"),
    path("auth/token/", auth.TokenObtainView.as_view(), name="token"),
    path("auth/token/refresh/", auth.TokenRefresh.as_view(), name="token-refresh"),
    path("auth/logout/", auth.LogoutView.as_view(), name="logout"),
    path("auth/cookie/login/", cookies.CookieLoginView.as_view(), name="cookie-login"),
    path("auth/cookie/refresh/", cookies.CookieRefreshView.as_view(), name="cookie-refresh"),
    path("auth/cookie/logout/", cookies.CookieLogoutView.as_view(), name="cookie-logout"),
    path("auth/me/", auth.MeView.as_view(), name="me"),
    path("auth/password/change/", auth.PasswordChangeView.as_view(), name="password-change"),
    path("auth/password/reset/", auth.PasswordResetView.as_view(), name="password-reset"),
    path(
        "auth/password/reset/confirm/",
        auth.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("auth/2fa/setup/", auth.TotpSetupView.as_view(), name="totp-setup"),
    path("auth/2fa/confirm/", auth.TotpConfirmView.as_view(), name="totp-confirm"),
    path("auth/2fa/disable/", auth.TotpDisableView.as_view(), name="totp-disable"),
    *router.urls,
]
