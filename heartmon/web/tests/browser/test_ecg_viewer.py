"""The ECG viewer in a browser: the trace drawn on the grid (checked by its pixels), beats marked,
zoom through max_points, calipers, exports."""

import re

import pytest
from playwright.sync_api import expect

from heartmon.ecg.tests import signals
from heartmon.web.tests.browser.conftest import canvas_ink, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

TRACE = (17, 17, 17)


def test_a_doctor_reads_a_recording_on_the_grid(page, dana, ecg_recording):
    sign_in(page, dana.email)
    page.goto(f"/ecg/{ecg_recording.pk}")
    canvas = page.locator("#ecg-canvas")

    expect(canvas).to_have_attribute("data-beats", "13")
    expect(page.locator("#scale-text")).to_contain_text("25.0 mm/s · 10 mm/mV")
    page.wait_for_timeout(200)
    assert canvas_ink(page, "#ecg-canvas", TRACE) > 3000
    # 10 s at 360 Hz is more than the canvas is wide: min/max pairs, two per pixel at most
    assert int(canvas.get_attribute("data-points")) <= 2 * 1280

    page.get_by_label("Window").select_option("5")
    expect(canvas).to_have_attribute("data-points", "1800")  # 5 s in full resolution
    expect(page.locator("#scale-text")).to_contain_text("50.0 mm/s")


def test_the_calipers_measure_an_interval(page, dana, ecg_recording):
    sign_in(page, dana.email)
    page.goto(f"/ecg/{ecg_recording.pk}")
    canvas = page.locator("#ecg-canvas")
    expect(canvas).to_have_attribute("data-beats", "13")
    width = canvas.bounding_box()["width"]

    canvas.click(position={"x": width * 0.10, "y": 100})
    canvas.click(position={"x": width * 0.18, "y": 100})

    # 0.8 s of a 10-second window, give or take the pixel a click lands on
    expect(page.get_by_role("status")).to_have_text(re.compile(r"Calipers: (79\d|80\d) ms \(75 "))


def test_one_lead_can_be_hidden_and_exports_name_the_window(page, dana, ecg_recording):
    sign_in(page, dana.email)
    page.goto(f"/ecg/{ecg_recording.pk}")
    expect(page.locator("#ecg-canvas")).to_have_attribute("data-beats", "13")
    tall = page.locator("#ecg-canvas").bounding_box()["height"]

    page.get_by_label("V5").uncheck()

    page.wait_for_function(f"document.getElementById('ecg-canvas').clientHeight < {tall}")
    with page.expect_download() as download:
        page.get_by_role("link", name="EDF (this window)").click()
    assert download.value.suggested_filename.endswith(".edf")


def test_a_recording_with_a_dc_offset_is_drawn_on_its_rows(
    page, settings, tmp_path, dana, as_alice, monitored
):
    """Raw ADC values of record 100 sent without their zero (1024): every value about 5 mV up,
    as the demo's simulated monitors stream them."""
    settings.MEDIA_ROOT = tmp_path / "media"
    body = signals.upload_fields(device=monitored, format="int16", seconds=20, baseline=None)
    response = as_alice.post("/api/v1/ecg/recordings/", body, format="multipart")
    assert response.status_code == 201, response.content
    sign_in(page, dana.email)
    page.goto(f"/ecg/{response.json()['id']}")

    expect(page.locator("#ecg-canvas")).to_have_attribute("data-points", re.compile(r"^[1-9]"))
    page.wait_for_timeout(200)
    assert canvas_ink(page, "#ecg-canvas", TRACE) > 3000
