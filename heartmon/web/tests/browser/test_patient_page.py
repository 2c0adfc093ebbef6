"""The patient page in a browser: identity, admission, current vitals, trends drawn on canvases
(checked by their pixels), the readings table and its CSV export, the ECG recordings."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from heartmon.web.tests.browser.conftest import canvas_ink, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def an_hour_of_vitals(as_device, monitored):
    """One reading a minute of each vital for the last hour, sent by the patient's monitor."""
    now = timezone.now()
    batch = []
    for minute in range(60):
        at = (now - timedelta(minutes=59 - minute)).isoformat()
        batch += [
            {"metric": "heart_rate", "value": 70 + minute % 10, "recorded_at": at},
            {"metric": "spo2", "value": 97, "recorded_at": at},
            {"metric": "resp_rate", "value": 16, "recorded_at": at},
        ]
    response = as_device.post("/api/v1/readings/", batch, format="json")
    assert response.json()["stored"] == 180


def test_a_doctor_sees_vitals_trends_and_readings(page, dana, patient, an_hour_of_vitals):
    sign_in(page, dana.email)
    page.goto(f"/patients/{patient.pk}")

    expect(page.get_by_role("heading", name="Ada Okafor")).to_be_visible()
    expect(page.locator(".vital.heart_rate .value")).to_have_text("79")
    expect(page.locator(".vital.temperature")).to_contain_text("No data")
    heart_trend = page.locator("canvas[data-metric=heart_rate]")
    expect(heart_trend).to_have_attribute("data-points", "60")
    page.wait_for_timeout(200)  # the next animation frame draws it
    assert canvas_ink(page, "canvas[data-metric=heart_rate]") > 2000
    assert canvas_ink(page, "canvas[data-metric=temperature]") < 2000  # a "no readings" note
    expect(page.locator("#readings tr")).to_have_count(50)
    page.get_by_role("button", name="Older readings").click()
    expect(page.locator("#readings tr")).to_have_count(100)

    with page.expect_download() as download:
        page.get_by_role("link", name="Export the last 7 days as CSV").click()
    lines = download.value.path().read_text().splitlines()
    assert lines[0].startswith("recorded_at,metric,value")
    assert len(lines) == 181


def test_staff_see_the_admission_but_no_vitals(page, sam, patient, an_hour_of_vitals):
    sign_in(page, sam.email)
    page.goto(f"/patients/{patient.pk}")

    expect(page.get_by_role("heading", name="Ada Okafor")).to_be_visible()
    expect(page.get_by_role("heading", name="Admission")).to_be_visible()
    expect(page.get_by_role("heading", name="Current vitals")).to_have_count(0)
    expect(page.locator("canvas")).to_have_count(0)
