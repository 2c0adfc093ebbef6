"""Signing in and out in a real browser, with and without two-factor sign-in, and a nurse kept
out of the admin pages."""

from base64 import b32encode
from urllib.parse import unquote_plus

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from heartmon.accounts.testing import PASSWORD
from heartmon.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_nurse_signs_in_to_the_central_station_and_out_again(page, bob):
    sign_in(page, bob.email)

    expect(page.get_by_role("heading", name="Central station")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/signin")
    page.goto("/patients")
    expect(page).to_have_url("/signin?next=%2Fpatients", ignore_case=True)


def test_a_wrong_password_is_said_and_keeps_the_page(page, bob):
    page.goto("/signin")
    page.get_by_label("E-mail").fill(bob.email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("alert")).to_contain_text("password")
    expect(page).to_have_url("/signin", ignore_case=True)


def test_signing_in_before_the_page_script_ran_puts_no_password_in_an_address(page, bob):
    """On a slow line the button can be pressed before the page's module has run: the browser
    then submits the form itself, as a POST (refused without its CSRF token), not as a GET with
    the password in the URL and so in access logs."""
    page.route("**/*.js", lambda route: route.abort())
    page.goto("/signin")
    page.get_by_label("E-mail").fill(bob.email)
    page.get_by_label("Password").fill(PASSWORD)

    with page.expect_request(lambda request: request.is_navigation_request()) as sent:
        page.get_by_role("button", name="Sign in").click()

    assert sent.value.method == "POST"
    assert PASSWORD not in unquote_plus(sent.value.url)


def test_a_nurse_cannot_reach_the_admin_pages(page, bob):
    sign_in(page, bob.email)

    expect(page.get_by_role("link", name="Audit log")).to_have_count(0)
    page.goto("/audit")
    expect(page.get_by_role("heading", name="This page is not for your role")).to_be_visible()


def test_two_factor_set_up_then_sign_in_with_the_code(page, bob):
    sign_in(page, bob.email)
    page.goto("/account")
    page.get_by_role("button", name="Set up an authenticator app").click()
    expect(page.locator("#totp-secret")).not_to_be_empty()
    secret = page.locator("#totp-secret").inner_text()
    qr = page.get_by_role("img", name="QR code of your authenticator set-up")
    expect(qr).to_be_visible()
    page.wait_for_function("document.getElementById('totp-qr').naturalWidth > 100")
    device = TOTPDevice.objects.get(user=bob, confirmed=False)
    assert secret == b32encode(device.bin_key).decode()

    page.get_by_label("Code from the app").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Turn two-factor sign-in on").click()
    expect(page.get_by_text("Turn two-factor sign-in off")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/signin")
    page.get_by_label("E-mail").fill(bob.email)
    page.get_by_label("Password").fill("a long test passphrase")
    page.get_by_role("button", name="Sign in").click()
    code = page.get_by_label("Code from your authenticator app")
    expect(code).to_be_visible()
    code.fill(f"{totp(device.bin_key, drift=1):06d}")  # the next step's: codes are single-use
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Central station")).to_be_visible()
