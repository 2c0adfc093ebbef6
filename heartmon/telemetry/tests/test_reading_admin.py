"""The admin shows readings and changes none: corrections go through the audited API."""

from django.test import Client

from heartmon.accounts.testing import make_user
from heartmon.telemetry.tests.seed import seed


def test_a_superuser_sees_readings_in_the_admin_but_cannot_change_them(device, patient):
    reading = seed(device, patient, values=(72,))[0]
    client = Client()
    client.force_login(make_user(None, "root@heartmon.example", is_superuser=True, is_staff=True))

    listing = client.get("/admin/telemetry/reading/")
    detail = client.get(f"/admin/telemetry/reading/{reading.pk}/change/")

    assert listing.status_code == 200
    assert str(device) in listing.content.decode()
    assert detail.status_code == 200
    assert b'name="value"' not in detail.content
    assert client.get("/admin/telemetry/reading/add/").status_code == 403
    assert client.post(f"/admin/telemetry/reading/{reading.pk}/delete/").status_code == 403
