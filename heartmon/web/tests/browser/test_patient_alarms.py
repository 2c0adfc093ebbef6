"""The patient page's alarms in a browser: NEWS2 with its parts (missing ones marked, the score
incomplete), the effective alarm limits, which a doctor overrides for the patient with a reason
(refused without one, nothing stored), and the alarm history with each alarm's timeline."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from heartmon.alarms.models import AlarmRule
from heartmon.alarms.tests.support import series
from heartmon.clinic.services.admissions import admit_patient
from heartmon.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def alarmed(alice, patient, bed, monitored, as_device):
    """Ada in Bed 1, her heart rate at 134 for 8 s: an open medium alarm."""
    admit_patient(patient=patient, place=bed, reason="Telemetry", actor=alice.as_actor())
    end = timezone.now() - timedelta(seconds=2)
    response = as_device.post("/api/v1/readings/", series([134] * 8, end=end), format="json")
    assert response.status_code == 200


def test_a_doctor_reads_news2_and_the_alarm_history(page, dana, patient, alarmed):
    sign_in(page, dana.email)
    page.goto(f"/patients/{patient.pk}")

    expect(page.locator("#news2-score")).to_contain_text("incomplete")
    pulse = page.locator("#news2-parts tr", has_text="Pulse")
    expect(pulse).to_contain_text("134")
    expect(pulse).to_contain_text("s ago")
    expect(page.locator("#news2-parts tr.missing", has_text="Temperature")).to_contain_text(
        "missing"
    )
    alarm = page.locator(".alarm-history-item")
    expect(alarm).to_contain_text("HR 134")
    alarm.locator("summary").click()
    expect(alarm.locator("tbody tr", has_text="Raised")).to_be_visible()


def test_a_doctor_overrides_a_limit_for_the_patient_with_a_reason(page, dana, patient, alarmed):
    sign_in(page, dana.email)
    page.goto(f"/patients/{patient.pk}")
    row = page.locator("#rules tr", has_text="Heart rate")
    expect(row).to_contain_text("the default")

    page.get_by_label("Vital", exact=True).select_option(label="Heart rate")
    page.get_by_label("High", exact=True).fill("140")
    page.get_by_role("button", name="Save this patient's limits").click()
    expect(page.locator("#override .problem")).to_contain_text("reason")
    assert not AlarmRule.objects.filter(patient=patient).exists()

    page.get_by_label("Reason", exact=True).fill("Anxious, runs high")
    page.get_by_role("button", name="Save this patient's limits").click()

    expect(row).to_contain_text("this patient: Anxious, runs high")
    expect(row.locator("td").nth(2)).to_have_text("140")
    assert AlarmRule.objects.get(patient=patient).high == 140


def test_a_nurse_reads_the_limits_but_may_not_change_them(page, bob, patient, alarmed):
    sign_in(page, bob.email)
    page.goto(f"/patients/{patient.pk}")

    expect(page.locator("#rules tr", has_text="Heart rate")).to_contain_text("the default")
    expect(page.locator("#override")).to_have_count(0)
