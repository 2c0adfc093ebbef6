"""Every role follows every link of every page it can reach, on a ward with demo-like data (a
patient admitted to a bed with a monitor, an ECG recording from it and an alarm it raised), from
its navigation on: no link leads to a 404, a 403 or a 500, no request fails, no script errs.
Downloads (the exports) are fetched rather than opened. And every page fits a phone."""

from collections import deque
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, Request, Response

from heartmon.alarms.models import Alarm
from heartmon.alarms.tests.support import series
from heartmon.clinic.services.admissions import admit_patient
from heartmon.ecg.models import Recording
from heartmon.ecg.tests import signals
from heartmon.telemetry.ingest import ingest_batch
from heartmon.web.tests.browser.conftest import PHONE, open_page, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

RESUME = "/api/v1/auth/cookie/refresh/"
MOST_PAGES = 60  # a walk that finds more is following links that multiply (pages of pages)


@pytest.fixture
def ward_day(settings, tmp_path, alice, as_alice, patient, bed, device):
    """The patient admitted to the bed with the device (since before the recording), the
    recording the device made, and the alarm its heart rate raised a moment ago."""
    settings.MEDIA_ROOT = tmp_path / "media"
    with time_machine.travel(signals.START - timedelta(hours=1), tick=False):
        admit_patient(
            patient=patient, place=bed, devices=[device], reason="Syncope", actor=alice.as_actor()
        )
    upload = as_alice.post(
        "/api/v1/ecg/recordings/",
        signals.upload_fields(device=device, seconds=20),
        format="multipart",
    )
    assert upload.status_code == 201, upload.content
    readings = series([138] * 8, end=timezone.now())
    ingest_batch(readings, sender=device, actor=device.as_actor())
    assert Alarm.objects.filter(patient=patient).exists()
    assert Recording.objects.filter(patient=patient).exists()


def links_of(page: Page, origin: str) -> list[tuple[str, bool]]:
    """The page's same-origin links as (path and query, whether it is a download)."""
    found = page.eval_on_selector_all(
        "a[href]", "links => links.map(a => [a.href, a.hasAttribute('download')])"
    )
    links = []
    for href, download in found:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" == origin:
            links.append((parts.path + (f"?{parts.query}" if parts.query else ""), download))
    return links


# What each walk must reach (the first part of the paths), so a walk that stops short fails.
REACHES = {
    "alice": {"patients", "ecg", "alarms", "devices", "users", "places", "audit", "webhooks"},
    "dana": {"patients", "ecg", "alarms", "alarm-rules", "devices"},
    "bob": {"patients", "ecg", "alarms", "alarm-rules", "devices"},
    "sam": {"patients", "admissions", "devices"},
    "tess": {"devices"},
    "nobody": {"signin", "register", "reset-password"},
}


@pytest.mark.parametrize("who", list(REACHES))
def test_each_role_follows_every_link_of_its_pages_without_an_error(
    request, page, site, who, ward_day
):
    problems: list[str] = []

    def note_response(response: Response) -> None:
        # The sign-in page asks once whether a session can be resumed; 401 is its "no".
        resume = urlsplit(page.url).path == "/signin" and response.url.endswith(RESUME)
        if response.status >= 400 and not (resume and response.status == 401):
            problems.append(f"{response.status} {response.url} (on {page.url})")

    def note_failure(failed: Request) -> None:
        # A request still running when the walk moves to the next page is aborted: no fault.
        if failed.failure != "net::ERR_ABORTED":
            problems.append(f"failed {failed.url}: {failed.failure} (on {page.url})")

    page.on("response", note_response)
    page.on("requestfailed", note_failure)
    page.on("pageerror", lambda error: problems.append(f"script on {page.url}: {error}"))
    if who == "nobody":
        queue = deque(["/signin"])
    else:
        sign_in(page, request.getfixturevalue(who).email)
        start = page.eval_on_selector_all("header nav a", "links => links.map(a => a.pathname)")
        queue = deque(["/", "/account", *start])
    opened: set[str] = set()
    fetched: set[str] = set()
    while queue:
        path = queue.popleft()
        if path in opened:
            continue
        opened.add(path)
        page.goto(path)
        page.wait_for_load_state("networkidle")
        for link, download in links_of(page, site):
            if not download:
                queue.append(link)
            elif link not in fetched:
                fetched.add(link)
                status = page.request.get(link).status
                if status >= 400:
                    problems.append(f"{status} {link} (download on {page.url})")
        assert len(opened) <= MOST_PAGES, sorted(opened)

    assert problems == []
    reached = {urlsplit(path).path.split("/")[1] for path in opened}
    assert REACHES[who] <= reached, sorted(opened)
    if who not in ("tess", "nobody"):  # the patient's page, and from it the data's own pages
        assert any(path.startswith("/patients/") for path in opened), sorted(opened)


@pytest.mark.parametrize("who", ["alice", "dana"])
def test_every_page_fits_a_phone_without_sideways_scrolling(
    request, browser, site, who, patient, device, ecg_recording
):
    too_wide = []
    with open_page(browser, site, request, request.node.name, PHONE) as page:
        sign_in(page, request.getfixturevalue(who).email)
        paths = page.eval_on_selector_all("header nav a", "links => links.map(a => a.pathname)")
        paths += ["/account", f"/patients/{patient.pk}", f"/devices/{device.pk}"]
        paths.append(f"/ecg/{ecg_recording.pk}")
        for path in paths:
            page.goto(path)
            page.wait_for_load_state("networkidle")
            if page.evaluate("document.documentElement.scrollWidth") > 390:
                too_wide.append(path)

    assert too_wide == []
