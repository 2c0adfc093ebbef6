"""The central station on the live stream, end to end: a device sends readings to the server, the
station open in Chromium shows them within 2 s; an alarm turns the tile red with its message on
every open station, and an acknowledgement at one reaches the others without a reload. Served
by the live ASGI server (`live_site`), on the in-memory channel layer or on Redis."""

import json
import re
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, WebSocket, expect

from heartmon.alarms.models import Alarm
from heartmon.alarms.tests.support import series
from heartmon.clinic.services.admissions import admit_patient
from heartmon.web.tests.browser.conftest import TIMEOUT_MS, screen_ink, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

HIGH_RED = (200, 16, 46)  # --high in app.css


class LiveTraffic:
    """What a page received on its live sockets and which API requests it made, recorded from
    before it opens any."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.sockets: list[WebSocket] = []
        self.messages: list[dict[str, Any]] = []
        self.requests: list[str] = []
        page.on("websocket", self.opened)
        page.on("request", lambda request: self.requests.append(request.url))

    def opened(self, socket: WebSocket) -> None:
        self.sockets.append(socket)
        socket.on("framereceived", self.received)

    def received(self, payload: str | bytes) -> None:
        if isinstance(payload, str):
            self.messages.append(json.loads(payload))

    def wait_for(self, **fields: Any) -> dict[str, Any]:
        """The first message with these fields; Playwright hands over the page's events while
        this waits."""
        for _ in range(TIMEOUT_MS // 50):
            found = [m for m in self.messages if fields.items() <= m.items()]
            if found:
                return found[0]
            self.page.wait_for_timeout(50)
        raise AssertionError(f"No live message {fields} in {self.messages}")

    def api_requests_since(self, index: int) -> list[str]:
        return [url for url in self.requests[index:] if "/api/" in url]

    @property
    def connected(self) -> bool:
        return len(self.sockets) == 1 and not self.sockets[0].is_closed()


def send(site: str, key: str, readings: list[dict[str, Any]]) -> int:
    """POSTs a device's readings to the live server as the device does; the status."""
    request = urllib.request.Request(  # noqa: S310 (the test's own server, over http)
        f"{site}/api/v1/readings/",
        data=json.dumps(readings).encode(),
        headers={"Authorization": f"Device {key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_MS / 1000) as response:  # noqa: S310
        return int(response.status)


@pytest.fixture
def admitted(alice, patient, bed, bed2, monitored):
    """Ada in Bed 1 with her monitor, on a ward of two beds."""
    admit_patient(patient=patient, place=bed, reason="Telemetry", actor=alice.as_actor())


def watching(page: Page, email: str, ward) -> LiveTraffic:
    """The user's central station, once its live socket watches the ward and the alarm feed."""
    traffic = LiveTraffic(page)
    sign_in(page, email)
    traffic.wait_for(type="subscribed", stream=f"place:{ward.pk}")
    traffic.wait_for(type="subscribed", stream="alarms")
    return traffic


def ada_on(page: Page):
    return page.locator(".tile", has_text="Ada Okafor")


def test_the_station_shows_a_reading_within_2_s_of_the_device_sending_it(
    live_pages, live_site, bob, ward, admitted, device_key
):
    station = live_pages()
    traffic = watching(station, bob.email, ward)
    heart_rate = ada_on(station).locator(".readout.heart_rate .value")
    expect(heart_rate).to_have_text("No data")
    asked = len(traffic.requests)

    with ThreadPoolExecutor(max_workers=1) as device:
        sent = device.submit(send, live_site, device_key, series([88], end=timezone.now()))
        expect(heart_rate).to_have_text("88", timeout=2000)
        assert sent.result() == 200

    assert traffic.connected
    assert traffic.wait_for(type="vitals")["values"]["heart_rate"]["value"] == 88
    assert traffic.api_requests_since(asked) == []


def test_an_alarm_turns_every_station_red_and_an_acknowledgement_reaches_them_all(
    live_pages, live_site, bob, dana, ward, admitted, device_key
):
    nurse, doctor = live_pages(), live_pages()
    stations = {nurse: watching(nurse, bob.email, ward), doctor: watching(doctor, dana.email, ward)}
    asked = {page: len(traffic.requests) for page, traffic in stations.items()}

    # HR at or over the extreme limit of 150 for 3 s (the delay is 2 s): a high alarm.
    assert send(live_site, device_key, series([160] * 4, end=timezone.now())) == 200

    for page, traffic in stations.items():
        ada = ada_on(page)
        expect(ada).to_have_class(re.compile(r"\balarm-high\b"))
        expect(ada.locator(".alarm .priority.high")).to_have_text("high")
        expect(ada.locator(".alarm .message")).to_have_text("HR 160 ≥ 150")
        assert screen_ink(ada.locator(".alarm"), HIGH_RED) > 0.5
        assert traffic.api_requests_since(asked[page]) == []
    asked[doctor] = len(stations[doctor].requests)

    ada_on(nurse).get_by_role("button", name="Acknowledge").click()

    expect(ada_on(doctor).locator(".alarm .acked")).to_be_visible()
    expect(ada_on(doctor).get_by_role("button", name="Acknowledge")).to_be_hidden()
    expect(ada_on(doctor).locator(".alarm .message")).to_have_text("HR 160 ≥ 150")
    assert stations[doctor].wait_for(type="alarm", event="acknowledged")["stream"] == "alarms"
    assert stations[doctor].connected
    assert stations[doctor].api_requests_since(asked[doctor]) == []
    assert Alarm.objects.get().acknowledged_by == bob
