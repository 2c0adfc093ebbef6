"""The account page's two-factor set-up: the QR code is drawn on the server from the pending
authenticator's otpauth:// URI, for its owner only."""

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from heartmon.accounts.services.two_factor import start_totp_setup
from heartmon.web.views.account import qr_svg

pytestmark = pytest.mark.django_db


def test_the_qr_code_is_the_pending_authenticators_uri_as_svg(page_as, bob):
    device = start_totp_setup(user=bob)

    response = page_as(bob).get("/account/two-factor/qr.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "no-store"
    assert response.content == qr_svg(device.config_url)
    assert b'xmlns="http://www.w3.org/2000/svg"' in response.content


def test_there_is_no_qr_code_without_a_set_up_in_progress(page_as, bob):
    assert page_as(bob).get("/account/two-factor/qr.svg").status_code == 404


def test_nobody_sees_another_persons_qr_code(page_as, bob, dana):
    start_totp_setup(user=bob)

    assert page_as(dana).get("/account/two-factor/qr.svg").status_code == 404


def test_the_account_page_says_whether_two_factor_is_on(page_as, bob):
    assert b"Set up an authenticator app" in page_as(bob).get("/account").content
    TOTPDevice.objects.create(user=bob, name="app", confirmed=True)

    assert b"Turn two-factor sign-in off" in page_as(bob).get("/account").content


def test_the_sign_in_page_goes_back_only_to_paths_on_this_site(db):
    assert b'data-next="/patients"' in Client().get("/signin?next=/patients").content
    assert b'data-next="/"' in Client().get("/signin?next=//evil.example/x").content
    assert b'data-next="/"' in Client().get("/signin?next=https://evil.example").content
