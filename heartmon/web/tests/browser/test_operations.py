"""Staff, technicians and admins doing their day in a browser: admit, transfer, discharge; a
device's key shown once; an invitation, a place and the audit log."""

import re

import pytest
from playwright.sync_api import expect

from heartmon.clinic.models import Admission
from heartmon.devices.models import DeviceKey
from heartmon.web.tests.browser.conftest import last_email, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_admit_transfer_and_discharge_a_patient(page, sam, patient, bed, bed2, device):
    sign_in(page, sam.email)
    expect(page).to_have_url("/admissions", ignore_case=True)
    expect(page.locator("#free-beds")).to_contain_text("2 free beds")

    page.get_by_label("Patient").select_option(label="Ada Okafor · MRN-1")
    page.get_by_label("Free bed or ward").select_option(label="Bed 1 (bed)")
    page.get_by_label("Monitors").select_option(label="HM-0001 (HM-3L)")
    page.get_by_label("Reason", exact=True).fill("Syncope, 48 h telemetry")
    page.get_by_role("button", name="Admit", exact=True).click()
    row = page.locator("#admissions tr", has_text="Ada Okafor")
    expect(row).to_contain_text("HM-0001")
    expect(page.locator("#free-beds")).to_contain_text("1 free bed: Bed 2")

    row.get_by_label("Transfer to").select_option(label="Bed 2 (bed)")
    row.get_by_role("button", name="Transfer").click()
    place_cell = page.locator("#admissions tr", has_text="Ada Okafor").locator("td").nth(1)
    expect(place_cell).to_have_text("Bed 2")

    page.get_by_label("Discharge reason").fill("Recovered")
    page.get_by_role("button", name="Discharge MRN-1").click()
    expect(page.locator("#admissions")).to_contain_text("Nobody is admitted.")
    admission = Admission.objects.get(patient=patient)
    assert admission.place == bed2
    assert admission.discharge_reason == "Recovered"


def test_a_technician_creates_a_key_and_sees_it_once(page, tess, device):
    sign_in(page, tess.email)
    expect(page).to_have_url("/devices", ignore_case=True)
    page.get_by_role("link", name="HM-0001").click()
    page.wait_for_url(f"**/devices/{device.pk}")  # loaded: its form is the script's

    page.get_by_label("New key's name").fill("bedside")
    page.get_by_role("button", name="Create a key").click()

    key = page.locator("#new-key-value")
    expect(key).to_have_text(re.compile(r"^hmd_\w+_\S{20,}$"))
    assert DeviceKey.objects.get(device=device, name="bedside").prefix in key.inner_text()
    expect(page.locator("#keys")).to_contain_text("bedside")
    page.reload()
    expect(page.locator("#keys")).to_contain_text("bedside")
    expect(page.locator("#new-key-shown")).to_be_hidden()


def test_a_technician_sees_no_patient_names_on_the_devices_page(page, tess, monitored):
    sign_in(page, tess.email)

    expect(page.locator("#devices tr", has_text="HM-0001")).to_contain_text("yes")
    expect(page.get_by_text("Okafor")).to_have_count(0)
    expect(page.get_by_role("link", name="Patients")).to_be_visible()


def test_an_admin_invites_a_doctor_adds_a_bed_and_reads_the_audit_log(page, alice, ward):
    sign_in(page, alice.email)
    page.goto("/users")
    page.get_by_label("E-mail").fill("dr.ng@stmary.example")
    page.get_by_label("First name").fill("Lee")
    page.get_by_label("Last name").fill("Ng")
    page.get_by_label("Role", exact=True).select_option("doctor")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator("#users tr", has_text="dr.ng@stmary.example")).to_contain_text("invited")
    assert "accept-invite" in last_email()

    page.goto("/places")
    page.get_by_label("Name").fill("Bed 7")
    page.get_by_label("Inside").select_option(label="— Cardiology")
    page.get_by_role("button", name="Add").click()
    expect(page.locator("#places tr", has_text="Bed 7")).to_contain_text("free")

    page.goto("/audit")
    page.get_by_label("Action starts with").fill("user.")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("#events")).to_contain_text("user.invited")


def test_an_admin_adds_and_pauses_a_webhook(page, alice):
    sign_in(page, alice.email)
    page.get_by_role("link", name="Webhooks").click()
    page.wait_for_url("**/webhooks")  # loaded: its form is the script's

    page.get_by_label("Address").fill("https://hooks.example/heartmon")
    page.get_by_label("Secret").fill("a secret of sixteen or more")
    page.get_by_role("button", name="Add").click()
    row = page.locator("#webhooks tr", has_text="https://hooks.example/heartmon")
    expect(row).to_contain_text("active")
    row.get_by_role("button", name="Pause").click()

    expect(page.locator("#webhooks tr", has_text="hooks.example")).to_contain_text("paused")
