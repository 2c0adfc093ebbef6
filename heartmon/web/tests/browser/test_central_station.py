"""The central station in a browser: a tile per bed of the chosen ward (remembered), the patient
and the latest value of each vital with its age, "No data" where there is none."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import ViewportSize, expect

from heartmon.clinic.models import Place, PlaceKind
from heartmon.clinic.services.admissions import admit_patient
from heartmon.web.tests.browser.conftest import PHONE, open_page, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def admitted(alice, patient, bed, bed2, monitored, as_device):
    """Ada in Bed 1 with her monitor, which sent a heart rate and an SpO2 a minute ago."""
    admit_patient(patient=patient, place=bed, reason="Telemetry", actor=alice.as_actor())
    at = (timezone.now() - timedelta(minutes=1)).isoformat()
    as_device.post(
        "/api/v1/readings/",
        [
            {"metric": "heart_rate", "value": 72, "recorded_at": at},
            {"metric": "spo2", "value": 96, "recorded_at": at},
        ],
        format="json",
    )


def test_a_nurse_sees_a_tile_per_bed_with_the_latest_vitals(page, bob, admitted):
    sign_in(page, bob.email)

    tiles = page.locator(".tile")
    expect(tiles).to_have_count(2)
    ada = page.locator(".tile", has_text="Ada Okafor")
    expect(ada.locator(".readout.heart_rate .value")).to_have_text("72")
    expect(ada.locator(".readout.heart_rate .age")).to_contain_text("min ago")
    expect(ada.locator(".readout.spo2 .value")).to_have_text("96")
    expect(ada.locator(".readout.temperature .value")).to_have_text("No data")
    expect(page.locator(".tile", has_text="Bed 2")).to_contain_text("Empty bed")


def test_the_chosen_ward_is_remembered(page, bob, admitted, hospital):
    Place.objects.create(
        organization=hospital.organization, kind=PlaceKind.WARD, name="Zeta ward", parent=hospital
    )
    sign_in(page, bob.email)
    expect(page.locator(".tile")).to_have_count(2)

    page.get_by_label("Ward").select_option(label="Zeta ward")
    expect(page.get_by_text("This ward has no beds yet.")).to_be_visible()
    page.reload()

    expect(page.get_by_label("Ward")).to_have_value(str(Place.objects.get(name="Zeta ward").pk))
    expect(page.get_by_text("This ward has no beds yet.")).to_be_visible()


def test_the_station_fits_a_phone(request, browser, site, bob, admitted):
    with open_page(browser, site, request, request.node.name, PHONE) as page:
        sign_in(page, bob.email)

        tile = page.locator(".tile", has_text="Ada Okafor")
        expect(tile.locator(".readout.heart_rate .value")).to_have_text("72")
        box = tile.bounding_box()
        assert box is not None
        assert box["width"] <= 390
        assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_the_station_uses_a_wide_screen_whole(request, browser, site, bob, admitted):
    """A 1920-pixel central-station screen is used whole (six tiles a row: sixteen beds in three
    rows), not held to the other pages' reading width (three a row)."""
    screen: ViewportSize = {"width": 1920, "height": 1080}
    with open_page(browser, site, request, request.node.name, screen) as page:
        sign_in(page, bob.email)

        tile = page.locator(".tile", has_text="Ada Okafor")
        expect(tile.locator(".readout.heart_rate .value")).to_have_text("72")
        tiles = page.locator("#tiles").bounding_box()
        assert tiles is not None
        assert tiles["width"] > 1800
        assert page.evaluate("document.documentElement.scrollWidth") <= 1920
