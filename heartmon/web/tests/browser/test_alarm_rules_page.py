"""The admins' alarm limits page in a browser: the defaults and places' overrides; an admin
changes a default, gives a ward its own limits (refused when they contradict, nothing stored)
and removes them."""

import pytest
from playwright.sync_api import expect

from heartmon.alarms.models import AlarmRule
from heartmon.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_changes_a_default_and_overrides_a_ward(page, alice, ward):
    sign_in(page, alice.email)
    page.get_by_role("link", name="Alarm limits").click()
    rows = page.locator("#rules tr")
    expect(rows).to_have_count(4)

    page.get_by_label("Vital").select_option(label="Heart rate")
    expect(page.get_by_label("High", exact=True)).to_have_value("120")
    page.get_by_label("High", exact=True).fill("125")
    page.get_by_role("button", name="Save limits").click()
    expect(rows.filter(has_text="Heart rate")).to_contain_text("125")

    page.get_by_label("Where").select_option(label=f"{ward.name} (ward)")
    page.get_by_label("Low", exact=True).fill("130")
    page.get_by_role("button", name="Save limits").click()
    expect(page.locator("#rule-form .problem")).to_be_visible()
    assert not AlarmRule.objects.filter(place=ward).exists()

    page.get_by_label("Low", exact=True).fill("45")
    page.get_by_role("button", name="Save limits").click()
    ward_row = rows.filter(has_text=ward.name)
    expect(ward_row).to_contain_text("45")
    assert AlarmRule.objects.get(place=ward).low == 45

    ward_row.get_by_role("button", name="Remove").click()
    expect(rows).to_have_count(4)
    assert not AlarmRule.objects.filter(place=ward).exists()
