"""Every role walks every page its navigation offers (and a patient's and a device's page where
the role may open them): no request fails, no script error, nothing links to a 404."""

import pytest
from playwright.sync_api import Response

from heartmon.web.tests.browser.conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("who", ["alice", "dana", "bob", "sam", "tess"])
def test_each_role_walks_its_pages_without_an_error(request, page, who, patient, bed, device):
    user = request.getfixturevalue(who)
    problems: list[str] = []

    def note_failure(response: Response) -> None:
        if response.status >= 400:
            problems.append(f"{response.status} {response.url}")

    page.on("response", note_failure)
    page.on("pageerror", lambda error: problems.append(f"script: {error}"))
    sign_in(page, user.email)

    paths = page.eval_on_selector_all("header nav a", "links => links.map(a => a.pathname)")
    paths += ["/account", f"/devices/{device.pk}"]
    if who != "tess":
        paths.append(f"/patients/{patient.pk}")
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("networkidle")

    assert problems == []
    assert len(paths) >= 4


@pytest.mark.parametrize("who", ["alice", "dana"])
def test_every_page_fits_a_phone_without_sideways_scrolling(
    request, browser, site, who, patient, device, ecg_recording
):
    phone = browser.new_context(base_url=site, viewport={"width": 390, "height": 844})
    page = phone.new_page()
    sign_in(page, request.getfixturevalue(who).email)
    paths = page.eval_on_selector_all("header nav a", "links => links.map(a => a.pathname)")
    paths += ["/account", f"/patients/{patient.pk}", f"/devices/{device.pk}"]
    paths.append(f"/ecg/{ecg_recording.pk}")

    too_wide = []
    for path in paths:
        page.goto(path)
        page.wait_for_load_state("networkidle")
        if page.evaluate("document.documentElement.scrollWidth") > 390:
            too_wide.append(path)
    phone.close()

    assert too_wide == []
