"""Who may open which page: the role table decides, other organizations' objects are 404 pages,
and nobody signed in is sent to sign in."""

import uuid

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

ROLE_PAGES = {
    # path: the roles (cast names) that may open it
    "/alarms": {"alice", "bob", "dana"},
    "/patients": {"alice", "bob", "dana", "sam", "tess"},
    "/admissions": {"alice", "sam"},
    "/devices": {"alice", "bob", "dana", "sam", "tess"},
    "/users": {"alice"},
    "/places": {"alice"},
    "/alarm-rules": {"alice", "bob", "dana"},
    "/audit": {"alice"},
    "/webhooks": {"alice"},
    "/account": {"alice", "bob", "dana", "sam", "tess"},
}


@pytest.mark.parametrize("path", sorted(ROLE_PAGES))
@pytest.mark.parametrize("who", ["alice", "bob", "dana", "sam", "tess"])
def test_each_role_opens_the_pages_its_role_allows_and_gets_a_403_page_elsewhere(
    request, page_as, path, who
):
    response = page_as(request.getfixturevalue(who)).get(path)

    if who in ROLE_PAGES[path]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403
        assert b"This page is not for your role" in response.content
        assert response["Content-Type"].startswith("text/html")


def test_the_home_page_is_the_central_station_for_clinicians(page_as, dana, bob, alice):
    for user in (dana, bob, alice):
        response = page_as(user).get("/")
        assert response.status_code == 200
        assert b"Central station" in response.content


def test_the_home_page_sends_staff_to_admissions_and_technicians_to_devices(page_as, sam, tess):
    assert page_as(sam).get("/")["Location"] == "/admissions"
    assert page_as(tess).get("/")["Location"] == "/devices"


def test_nobody_signed_in_is_sent_to_sign_in_and_back(db):
    response = Client().get("/patients?archived=true")

    assert response.status_code == 302
    assert response["Location"] == "/signin?next=%2Fpatients%3Farchived%3Dtrue"


def test_an_expired_or_forged_access_cookie_is_not_signed_in(db):
    client = Client()
    client.cookies[settings.AUTH_COOKIE_ACCESS] = "not-a-token"

    assert client.get("/patients").status_code == 302


def test_the_navigation_lists_only_the_pages_of_the_role(page_as, bob, alice):
    nurse_page = page_as(bob).get("/patients").content.decode()
    admin_page = page_as(alice).get("/patients").content.decode()

    assert 'href="/audit"' not in nurse_page
    assert 'href="/admissions"' not in nurse_page
    assert 'href="/audit"' in admin_page


def test_a_patient_of_another_organization_is_a_404_page(page_as, dana, patient, org_b_patient):
    assert page_as(dana).get(f"/patients/{patient.pk}").status_code == 200
    response = page_as(dana).get(f"/patients/{org_b_patient.pk}")
    assert response.status_code == 404
    assert b"Nothing here" in response.content


def test_a_technician_may_not_open_a_patient_page(page_as, tess, patient):
    assert page_as(tess).get(f"/patients/{patient.pk}").status_code == 403


def test_a_device_of_another_organization_is_a_404_page(page_as, tess, device, org_b_device):
    assert page_as(tess).get(f"/devices/{device.pk}").status_code == 200
    assert page_as(tess).get(f"/devices/{org_b_device.pk}").status_code == 404


def test_the_ecg_viewer_is_for_roles_that_read_signals(page_as, sam, dana, ecg_recording):
    assert page_as(dana).get(f"/ecg/{ecg_recording.pk}").status_code == 200
    assert page_as(sam).get(f"/ecg/{ecg_recording.pk}").status_code == 403
    assert page_as(dana).get(f"/ecg/{uuid.uuid4()}").status_code == 404


def test_pages_set_the_csrf_cookie_the_scripts_send_back(page_as, bob):
    response = page_as(bob).get("/patients")

    assert "csrftoken" in response.cookies


def test_api_errors_stay_problem_details(page_as, bob):
    response = page_as(bob).get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_only_admins_get_the_forms_of_the_alarm_limits_page(page_as, alice, bob, dana):
    admin_page = page_as(alice).get("/alarm-rules").content.decode()
    assert 'id="rule-form"' in admin_page
    assert "Save timings" in admin_page
    assert "disabled" not in admin_page

    for clinician in (bob, dana):
        clinician_page = page_as(clinician).get("/alarm-rules").content.decode()
        assert 'id="rule-form"' not in clinician_page
        assert "Save timings" not in clinician_page
        assert '<fieldset class="plain" disabled>' in clinician_page
