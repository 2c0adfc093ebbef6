"""The wheel over the ECG viewer's trace: Ctrl + wheel (a pinch) zooms around the time under the
pointer between 5 s and the whole recording, the trace redrawn and fetched again (downsampled
with max_points when the window holds more samples than the screen shows) once the wheel pauses;
Shift + wheel or a sideways wheel scrolls; the plain wheel leaves the window alone."""

import pytest
from playwright.sync_api import Page, expect

from heartmon.ecg.models import Recording
from heartmon.web.tests.browser.conftest import canvas_ink, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

TRACE = (17, 17, 17)


def open_viewer(page: Page, user, recording) -> None:
    sign_in(page, user.email)
    page.goto(f"/ecg/{recording.pk}")
    expect(page.locator("#ecg-canvas")).to_have_attribute("data-beats", "13")
    expect(page.locator("#ecg-canvas")).to_have_attribute("data-span", "10")


def pixels(page: Page) -> str:
    return page.eval_on_selector("#ecg-canvas", "canvas => canvas.toDataURL()")


def samples_asked(page: Page) -> list[str]:
    """The addresses of the samples the page asks for from now on, filled as it asks."""
    asked: list[str] = []
    page.on(
        "request", lambda request: asked.extend([request.url] if "/samples/" in request.url else [])
    )
    return asked


def point_at(page: Page, fraction: float) -> None:
    """The pointer over the trace, `fraction` of the way across."""
    box = page.locator("#ecg-canvas").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] / 2)


def test_ctrl_wheel_zooms_in_around_the_time_under_the_pointer(page, dana, ecg_recording):
    open_viewer(page, dana, ecg_recording)
    canvas = page.locator("#ecg-canvas")
    before = pixels(page)
    point_at(page, 0.25)  # 2.5 s into the 10-second window

    page.keyboard.down("Control")
    page.mouse.wheel(0, -125)  # in by √2
    page.keyboard.up("Control")

    expect(canvas).to_have_attribute("data-span", "7.071")
    # 2.5 s stays under the pointer: the window now starts 0.73 s in
    expect(page.locator("#position-text")).to_contain_text("(+1 s)")
    expect(page.locator("#span option:checked")).to_have_text("7.1 s")

    page.keyboard.down("Control")
    page.mouse.wheel(0, -125)  # and again: 5 s, from 1.25 s
    page.keyboard.up("Control")

    expect(canvas).to_have_attribute("data-span", "5")
    expect(page.locator("#span option:checked")).to_have_text("5 s")
    # 5 s at 360 Hz fit the canvas: fetched again in full resolution
    expect(canvas).to_have_attribute("data-points", "1800")
    page.wait_for_function(f"document.getElementById('ecg-canvas').toDataURL() !== {before!r}")
    assert canvas_ink(page, "#ecg-canvas", TRACE) > 1500  # the trace, stretched


def test_zooming_out_fetches_the_window_downsampled_and_stops_at_the_whole_recording(
    page, dana, ecg_recording
):
    open_viewer(page, dana, ecg_recording)
    samples = samples_asked(page)
    point_at(page, 0.5)

    page.keyboard.down("Control")
    with page.expect_response(lambda response: "/samples/" in response.url):
        page.mouse.wheel(0, 1000)  # out by 16, but never past the 20-second recording
    page.keyboard.up("Control")

    canvas = page.locator("#ecg-canvas")
    expect(canvas).to_have_attribute("data-span", "20")
    expect(page.locator("#scale-text")).to_contain_text("12.5 mm/s")
    # the whole recording's beats: the window was fetched again; its 7,200 samples a lead came
    # downsampled to min/max pairs, two points a pixel at most
    beats = Recording.objects.get(pk=ecg_recording.pk).beat_count
    expect(canvas).to_have_attribute("data-beats", str(beats))
    assert int(canvas.get_attribute("data-points")) <= 2 * 1280
    assert "max_points=" in samples[-1]


def test_a_burst_of_wheel_events_fetches_once(page, dana, ecg_recording):
    open_viewer(page, dana, ecg_recording)
    samples = samples_asked(page)

    with page.expect_response(lambda response: "/samples/" in response.url):
        page.eval_on_selector(
            "#ecg-canvas",
            """canvas => {
                const box = canvas.getBoundingClientRect();
                for (let i = 0; i < 6; i++) {
                    canvas.dispatchEvent(new WheelEvent("wheel", {
                        deltaY: -20, ctrlKey: true, cancelable: true,
                        clientX: box.left + box.width / 2, clientY: box.top + 10,
                    }));
                }
            }""",
        )

    assert len(samples) == 1
    expect(page.locator("#ecg-canvas")).to_have_attribute("data-span", "7.17")


def test_shift_or_sideways_wheel_scrolls_and_the_plain_wheel_leaves_the_window(
    page, dana, ecg_recording
):
    open_viewer(page, dana, ecg_recording)
    position = page.locator("#position-text")
    point_at(page, 0.5)

    page.mouse.wheel(0, 300)
    page.mouse.wheel(0, -300)
    expect(position).to_contain_text("(+0 s)")

    page.keyboard.down("Shift")
    page.mouse.wheel(0, 250)
    page.keyboard.up("Shift")
    expect(position).to_contain_text("(+2 s)")

    page.mouse.wheel(500, 0)
    expect(position).to_contain_text("(+6 s)")
    expect(page.locator("#ecg-canvas")).to_have_attribute("data-span", "10")
