"""The README's screenshots of the web app, made from a ward of the test cast with an hour of
vitals. Not a test: it runs only when asked, with the folder to write to, e.g.

    SCREENSHOTS_DIR=docs/web .venv/bin/pytest heartmon/web/tests/browser/test_screenshots.py
"""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from heartmon.alarms.tests.support import series
from heartmon.clinic.models import Patient, Place, PlaceKind
from heartmon.clinic.services.admissions import admit_patient
from heartmon.devices.models import Device
from heartmon.telemetry.ingest import ingest_batch
from heartmon.web.tests.browser.conftest import PHONE, open_page, sign_in

FOLDER = os.environ.get("SCREENSHOTS_DIR", "")
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not FOLDER, reason="makes the README's screenshots when SCREENSHOTS_DIR is set"
    ),
]
PEOPLE = [("Ada", "Okafor"), ("Ben", "Ito"), ("Chen", "Wu"), ("Dara", "Njoku"), ("Eli", "Sousa")]
WARD_BEDS = 6
# Chen's heart rate above its limit (a medium alarm), Eli's SpO2 at an extreme (a high one).
ALARMING: dict[int, dict[str, Any]] = {
    2: {"values": [138] * 8},
    4: {"values": [82] * 8, "metric": "spo2"},
}


def an_hour_of(device: Device, index: int) -> list[dict]:
    """A reading a minute of each vital, each patient a little different."""
    now = timezone.now()
    items = []
    for minute in range(60):
        at = (now - timedelta(minutes=59 - minute, seconds=20)).isoformat()
        wave = (minute % 12) / 12
        items += [
            {"metric": "heart_rate", "value": 64 + 9 * index + 6 * wave, "recorded_at": at},
            {"metric": "spo2", "value": 98 - index % 3, "recorded_at": at},
            {"metric": "resp_rate", "value": 14 + index, "recorded_at": at},
        ]
        if minute % 15 == 0:
            items.append({"metric": "temperature", "value": 36.6 + 0.2 * index, "recorded_at": at})
    return items


@pytest.fixture
def ward_of_patients(alice, ward):
    beds = [
        Place.objects.create(
            organization=ward.organization, kind=PlaceKind.BED, name=f"Bed {n}", parent=ward
        )
        for n in range(1, WARD_BEDS + 1)
    ]
    for index, (given, family) in enumerate(PEOPLE):
        patient = Patient.objects.create(
            organization=ward.organization,
            patient_number=f"MRN-{4211 + index}",
            given_name=given,
            family_name=family,
        )
        device = Device.objects.create(
            organization=ward.organization, serial_number=f"HM-1{index:03d}", model="HM-3L"
        )
        # Admitted two hours ago: the hour of readings is theirs (a reading belongs to the
        # patient its device was on when it measured it).
        with time_machine.travel(timezone.now() - timedelta(hours=2), tick=False):
            admit_patient(
                patient=patient,
                place=beds[index],
                devices=[device],
                reason="Telemetry",
                actor=alice.as_actor(),
            )
        stored = ingest_batch(an_hour_of(device, index), sender=device, actor=device.as_actor())
        assert not stored.rejected, stored.rejected[:3]
        alarming = ALARMING.get(index)
        if alarming:
            items = series(**alarming, end=timezone.now())
            ingest_batch(items, sender=device, actor=device.as_actor())
    return beds


def test_screenshots(request, browser, site, page, dana, ward_of_patients, ecg_recording):
    folder = Path(FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    sign_in(page, dana.email)
    expect(page.locator(".tile")).to_have_count(WARD_BEDS)
    expect(page.locator(".tile:not(.empty) .readout.nodata")).to_have_count(0)
    expect(page.locator(".tile.alarm-high")).to_have_count(1)
    expect(page.locator(".tile.alarm-medium")).to_have_count(1)
    page.screenshot(path=folder / "central-station.png")

    page.goto("/alarms")
    expect(page.locator("tr.alarm-row")).to_have_count(2)
    expect(page.locator("tr.alarm-row").first).to_contain_text("Eli Sousa")
    expect(page.locator("tr.alarm-row").first).to_contain_text("Bed 5")
    page.screenshot(path=folder / "alarms.png")
    page.goto("/")

    page.locator(".tile", has_text="Bed 1").get_by_role("link").click()
    expect(page.get_by_role("heading", name="Ada Okafor")).to_be_visible()
    expect(page.locator("canvas[data-metric=heart_rate]")).to_have_attribute("data-points", "60")
    page.wait_for_timeout(300)
    page.screenshot(path=folder / "patient.png")

    page.goto(f"/ecg/{ecg_recording.pk}")
    expect(page.locator("#ecg-canvas")).to_have_attribute("data-beats", "13")
    page.wait_for_timeout(300)
    page.screenshot(path=folder / "ecg-viewer.png")

    with open_page(browser, site, request, f"{request.node.name}-phone", PHONE) as phone:
        sign_in(phone, dana.email)
        expect(phone.locator(".tile")).to_have_count(WARD_BEDS)
        expect(phone.locator(".tile:not(.empty) .readout.nodata")).to_have_count(0)
        phone.screenshot(path=folder / "central-station-phone.png")
