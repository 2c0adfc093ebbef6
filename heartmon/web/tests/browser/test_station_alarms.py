"""Alarms on the central station in a browser: the tile of a patient with an open alarm shows its
priority by colour, mark and word and a message naming the limit crossed; doctors and nurses
acknowledge it from the tile; the ward's most urgent unacknowledged priority sounds its pattern
and a nurse pauses the sound for 2 minutes, shown with its countdown."""

import re
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
def alarming(alice, patient, bed, bed2, monitored, as_device):
    """Ada in Bed 1, her heart rate at 134 for 8 s: a medium heart rate alarm (limit 120)."""
    admit_patient(patient=patient, place=bed, reason="Telemetry", actor=alice.as_actor())
    end = timezone.now() - timedelta(seconds=2)
    response = as_device.post("/api/v1/readings/", series([134] * 8, end=end), format="json")
    assert response.status_code == 200, response.content
    return Alarm.objects.get()


def test_a_nurse_sees_the_alarm_on_the_tile_and_acknowledges_it(page, bob, alarming):
    sign_in(page, bob.email)

    ada = page.locator(".tile", has_text="Ada Okafor")
    expect(ada).to_have_class(re.compile(r"\balarm-medium\b"))
    expect(ada.locator(".alarm .priority.medium")).to_have_text("medium")
    expect(ada.locator(".alarm .message")).to_have_text("HR 134 > 120")
    expect(page.locator(".tile", has_text="Bed 2").locator(".alarm")).to_be_hidden()

    ada.get_by_role("button", name="Acknowledge").click()

    expect(ada.locator(".alarm .acked")).to_be_visible()
    expect(ada.get_by_role("button", name="Acknowledge")).to_be_hidden()
    alarming.refresh_from_db()
    assert alarming.acknowledged_at is not None


def test_an_admin_sees_the_alarm_but_may_not_acknowledge_it(page, alice, alarming):
    sign_in(page, alice.email)

    ada = page.locator(".tile", has_text="Ada Okafor")
    expect(ada.locator(".alarm .message")).to_have_text("HR 134 > 120")
    expect(ada.get_by_role("button", name="Acknowledge")).to_be_hidden()
    expect(page.get_by_role("button", name="Pause audio (2 min)")).to_be_hidden()


def test_the_priority_sounds_its_pattern_until_a_nurse_pauses_it(page, bob, alarming):
    sign_in(page, bob.email)
    expect(page.locator(".tile.alarm-medium")).to_have_count(1)
    assert page.evaluate("window.heartmonTones.played") == [{"priority": "medium", "pulses": 3}]

    page.get_by_role("button", name="Pause audio (2 min)").click()

    expect(page.locator("#audio-state")).to_contain_text("Audio paused · 1:")
    page.evaluate("window.heartmonTones.burst()")
    assert len(page.evaluate("window.heartmonTones.played")) == 1
    page.get_by_role("button", name="Resume audio").click()
    expect(page.locator("#audio-state")).to_have_text("")


def test_extreme_values_name_the_extreme_limit(page, bob, alarming):
    sign_in(page, bob.email)
    rule = {"low": 50, "high": 120, "extreme_low": 40, "extreme_high": 150}
    message = page.evaluate(
        """async (rule) => {
            const { alarmMessage } = await import("/static/web/alarm_text.js");
            return [160, 30, 45].map((value) =>
                alarmMessage({ condition: "heart_rate", value }, rule));
        }""",
        rule,
    )
    assert message == ["HR 160 ≥ 150", "HR 30 ≤ 40", "HR 45 < 50"]
