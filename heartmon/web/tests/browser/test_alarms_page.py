"""The alarms page in a browser: open alarms, highest priority first; a nurse acknowledges one
with a note, which its detail page's timeline then shows with her name."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from heartmon.alarms.models import Alarm
from heartmon.alarms.tests.support import series
from heartmon.clinic.services.admissions import admit_patient
from heartmon.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def alarms(alice, patient, bed, monitored, as_device):
    """Ada's heart rate at 134 for 8 s (medium), then her SpO2 at 80 % for 8 s (high)."""
    admit_patient(patient=patient, place=bed, reason="Telemetry", actor=alice.as_actor())
    end = timezone.now() - timedelta(seconds=2)
    items = series([134] * 8, end=end - timedelta(seconds=20)) + series(
        [80] * 8, metric="spo2", end=end
    )
    assert as_device.post("/api/v1/readings/", items, format="json").status_code == 200
    assert Alarm.objects.count() == 2


def test_a_nurse_acknowledges_an_alarm_with_a_note_and_reads_its_timeline(page, bob, alarms):
    sign_in(page, bob.email)
    page.get_by_role("link", name="Alarms").click()

    rows = page.locator("tr.alarm-row")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("SpO₂ 80")
    expect(rows.nth(0).locator(".priority")).to_have_text("high")
    expect(rows.nth(1)).to_contain_text("HR 134")
    expect(rows.nth(1)).to_contain_text("Ada Okafor")

    rows.nth(1).get_by_role("button", name="Acknowledge").click()
    page.get_by_label("Note").fill("Patient anxious, reassured")
    page.get_by_role("dialog").get_by_role("button", name="Acknowledge").click()

    expect(rows.nth(1)).to_contain_text("active, acknowledged")
    expect(rows.nth(1).get_by_role("button", name="Acknowledge")).to_have_count(0)
    rows.nth(1).get_by_role("link", name="HR 134").click()
    timeline = page.locator("#timeline tr")
    expect(timeline.filter(has_text="Acknowledged")).to_contain_text("Patient anxious")
    expect(timeline.filter(has_text="Acknowledged")).to_contain_text(bob.get_full_name())
    expect(page.locator("#acknowledge")).to_be_hidden()


def test_an_admin_reads_alarms_but_may_not_acknowledge(page, alice, alarms):
    sign_in(page, alice.email)
    page.goto("/alarms")

    expect(page.locator("tr.alarm-row")).to_have_count(2)
    expect(page.get_by_role("button", name="Acknowledge")).to_have_count(0)
