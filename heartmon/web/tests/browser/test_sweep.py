"""The station's lead II sweep in a browser: samples pushed to it are drawn as its clock reaches
them, and a stream that stops is shown as stopped ("ECG: no stream"), not as its last trace."""

import pytest

from heartmon.web.tests.browser.conftest import canvas_ink, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

TRACE = (0x4A, 0xDE, 0x80)
NO_STREAM_TEXT = (0xA9, 0xB4, 0xC0)

ONE_SECOND_PUSHED = """async () => {
    const { Sweep } = await import("/static/web/sweep.js");
    const canvas = Object.assign(document.createElement("canvas"), { id: "probe" });
    canvas.style.cssText = "width: 400px; height: 80px; display: block";
    document.body.append(canvas);
    window.probe = new Sweep(canvas);
    const rate = 250;
    window.probe.push(Array.from({ length: rate }, (_, i) => Math.sin(i / 8)), rate);
}"""


def test_a_stream_that_stops_is_shown_stopped(page, bob):
    sign_in(page, bob.email)
    page.evaluate(ONE_SECOND_PUSHED)

    page.wait_for_function("window.probe.painted && window.probe.painted.shown > 100")
    assert canvas_ink(page, "#probe", TRACE) > 100
    assert canvas_ink(page, "#probe", NO_STREAM_TEXT) == 0

    page.wait_for_function("!window.probe.animated", timeout=10_000)
    page.wait_for_function("window.probe.painted === null")
    assert canvas_ink(page, "#probe", TRACE) == 0
    assert canvas_ink(page, "#probe", NO_STREAM_TEXT) > 20
