"""The organization's alarm timings on the alarm limits page, in a browser: an admin changes one,
a value out of range is refused with the API's message beside its field (nothing stored), and a
nurse sees them but has nothing to change them with (the API refuses her anyway)."""

import pytest
from playwright.sync_api import expect

from heartmon.alarms.models import AlarmSettings
from heartmon.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_changes_when_a_high_alarm_escalates(page, alice):
    sign_in(page, alice.email)
    page.get_by_role("link", name="Alarm limits").click()
    field = page.get_by_label("High alarm escalation (s)")
    expect(field).to_have_value("60")
    expect(page.get_by_label("NEWS2 values valid for (min)")).to_have_value("720")

    field.fill("45")
    page.get_by_role("button", name="Save timings").click()

    expect(page.locator("#timings .done")).to_have_text("Saved.")
    assert AlarmSettings.objects.get(organization=alice.organization).high_escalation_seconds == 45
    page.reload()
    expect(page.get_by_label("High alarm escalation (s)")).to_have_value("45")


def test_a_value_out_of_range_shows_the_apis_message_beside_its_field(page, alice):
    sign_in(page, alice.email)
    page.goto("/alarm-rules")
    field = page.get_by_label("No data alarm after (s)")
    expect(field).to_have_value("30")

    field.fill("2")
    page.get_by_role("button", name="Save timings").click()

    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#t-no-data + .field-error")).to_have_text(
        "Ensure this value is greater than or equal to 5."
    )
    expect(page.locator("#timings .problem")).to_be_visible()
    assert AlarmSettings.objects.get(organization=alice.organization).no_data_seconds == 30


def test_a_nurse_reads_the_timings_and_limits_but_cannot_change_them(page, bob, ward):
    sign_in(page, bob.email)
    page.get_by_role("link", name="Alarm limits").click()

    field = page.get_by_label("Medium alarm escalation (s)")
    expect(field).to_have_value("180")
    expect(field).to_be_disabled()
    expect(page.locator("#rules tr")).to_have_count(4)
    expect(page.get_by_role("button", name="Save timings")).to_have_count(0)
    expect(page.get_by_role("button", name="Save limits")).to_have_count(0)
    refused = page.evaluate(
        """async () => {
            const csrf = document.cookie.match(/csrftoken=([^;]+)/)[1];
            const response = await fetch("/api/v1/alarm-settings/", {
                method: "PATCH",
                headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
                body: JSON.stringify({medium_escalation_seconds: 20}),
            });
            return response.status;
        }"""
    )
    assert refused == 403
    assert AlarmSettings.objects.get(organization=bob.organization).medium_escalation_seconds == 180
