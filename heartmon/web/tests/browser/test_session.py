"""A page left open outlives its access token: the next page and the next API call renew the
cookies from the refresh cookie, so a central station stays signed in for a shift."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from heartmon.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def short_access_tokens(settings):
    settings.SIMPLE_JWT = {**settings.SIMPLE_JWT, "ACCESS_TOKEN_LIFETIME": timedelta(seconds=2)}


def test_an_expired_access_token_is_renewed_when_a_page_opens(page, bob, short_access_tokens):
    sign_in(page, bob.email)
    page.wait_for_timeout(3000)

    page.goto("/patients")

    expect(page).to_have_url("/patients", ignore_case=True)
    expect(page.get_by_role("heading", name="Patients")).to_be_visible()
    expect(page.locator("#patients")).to_contain_text("No patients.")


def test_an_api_call_with_an_expired_token_is_renewed_and_retried(
    page, bob, patient, short_access_tokens
):
    sign_in(page, bob.email)
    page.goto("/patients")
    expect(page.locator("#patients")).to_contain_text("Ada Okafor")
    page.wait_for_timeout(3000)

    page.get_by_label("Search patients").fill("Okafor")
    page.get_by_role("button", name="Search").click()

    expect(page.locator("#patients tr")).to_have_count(1)
    expect(page.locator("#patients")).to_contain_text("Ada Okafor")


def test_after_signing_out_a_page_asks_to_sign_in(page, bob):
    sign_in(page, bob.email)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/signin")

    page.goto("/patients")

    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
