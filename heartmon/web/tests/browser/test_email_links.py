"""The pages the account e-mails link to, followed in a real browser from the e-mails sent."""

import re

import pytest
from playwright.sync_api import expect

from heartmon.accounts.models import User
from heartmon.web.tests.browser.conftest import emailed_link, last_email, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

NEW_PASSWORD = "a brand new passphrase"


def test_a_new_organization_registers_and_activates_from_the_e_mailed_link(page):
    page.goto("/signin")
    page.get_by_role("link", name="New here? Register your organization").click()
    page.wait_for_url("**/register")  # loaded: its form is the script's
    page.get_by_label("Organization").fill("St Mary's")
    page.get_by_label("First name").fill("Ana")
    page.get_by_label("Last name").fill("Lopez")
    page.get_by_label("E-mail").fill("ana@stmary.example")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("status")).to_contain_text("Check your e-mail")

    page.goto(emailed_link("activate"))
    page.get_by_role("button", name="Activate my account").click()

    expect(page.get_by_role("status")).to_contain_text("Your account is active")
    assert User.objects.get(email="ana@stmary.example").is_active
    page.goto(emailed_link("activate"))
    expect(page.get_by_role("heading", name="This account is already active")).to_be_visible()
    sign_in(page, "ana@stmary.example", "correct horse battery")
    expect(page.get_by_role("heading", name="Central station")).to_be_visible()


def test_an_invited_nurse_chooses_a_password_and_signs_in(page, as_alice):
    as_alice.post(
        "/api/v1/users/",
        {"email": "nia@stmary.example", "first_name": "Nia", "last_name": "Ade", "role": "nurse"},
    )

    page.goto(emailed_link("accept-invite"))
    page.get_by_label("New password").fill("short")
    page.get_by_role("button", name="Set my password").click()
    expect(page.locator(".field-error")).to_contain_text("too short")
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    expect(page.get_by_role("status")).to_contain_text("Your account is ready")

    sign_in(page, "nia@stmary.example", NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Central station")).to_be_visible()


def test_a_password_is_reset_by_the_e_mailed_link(page, bob):
    page.goto("/reset-password")
    page.get_by_label("E-mail").first.fill(bob.email)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status").first).to_contain_text("We sent a link")

    page.goto(emailed_link("reset-password"))
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change my password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password is changed")

    sign_in(page, bob.email, NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Central station")).to_be_visible()


def test_a_password_is_reset_by_the_e_mailed_code(page, bob):
    page.goto("/reset-password")
    page.locator("#reset-email").fill(bob.email)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status").first).to_contain_text("We sent a link")
    code = re.search(r"code in the app within 10 minutes: (\d{6})", last_email())
    assert code

    page.locator("#code-email").fill(bob.email)
    page.get_by_label("6-digit code from the e-mail").fill(code.group(1))
    page.locator("#code-password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Change my password").click()
    expect(page.locator("form", has_text="I have a code").get_by_role("status")).to_contain_text(
        "Your password is changed"
    )
    bob.refresh_from_db()
    assert bob.check_password(NEW_PASSWORD)
