"""`Authorization: Device <key>`: who gets in, who gets 401 or 403, and what a device may not do."""

from datetime import timedelta

import time_machine
from django.utils import timezone
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.views import APIView
from rest_framework_simplejwt.tokens import RefreshToken

from heartmon.core.testing import assert_problem
from heartmon.devices.authentication import DeviceAuthentication
from heartmon.devices.models import Device, DeviceKey, DeviceStatus
from heartmon.devices.permissions import IsActiveDevice, KeyMatchesDevice

URL = "/api/v1/device/settings/"


def with_key(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Device {key}")
    return client


def test_a_device_with_its_key_gets_in(as_device):
    assert as_device.get(URL).status_code == 200


def test_no_key_or_a_wrong_one_is_a_401_asking_for_a_device_key(anonymous, device_key):
    prefix = device_key.split("_")[1]
    for client in (
        anonymous,
        with_key("hmd_nope"),
        with_key(f"hmd_{prefix}_wrong-secret"),
        with_key(device_key + "x"),
    ):
        response = client.get(URL)
        assert_problem(response, 401)
        assert response["WWW-Authenticate"] == 'Device realm="api"'


def test_a_revoked_key_is_refused_at_once(as_alice, as_device, device):
    key = DeviceKey.objects.get()
    assert as_device.get(URL).status_code == 200

    as_alice.delete(f"/api/v1/devices/{device.pk}/keys/{key.pk}/")

    assert "revoked" in assert_problem(as_device.get(URL), 401)["detail"]


def test_an_inactive_device_is_a_403(as_device, device):
    for status in (DeviceStatus.INACTIVE, DeviceStatus.MAINTENANCE):
        device.status = status
        device.save()
        assert_problem(as_device.get(URL), 403)


def test_a_users_token_does_not_open_device_endpoints(alice, as_alice):
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(alice).access_token}")

    assert_problem(bearer.get(URL), 401)
    assert_problem(as_alice.get(URL), 401)


def test_a_device_key_opens_no_endpoint_for_people(as_device, device):
    for path in ("/api/v1/devices/", f"/api/v1/devices/{device.pk}/", "/api/v1/auth/me/"):
        assert_problem(as_device.get(path), 401)


def test_last_used_is_written_at_most_once_a_minute(as_device, device):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        as_device.get(URL)
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        as_device.get(URL)
    key = DeviceKey.objects.get()
    assert key.last_used_at == start
    device.refresh_from_db()
    assert device.last_seen_at == start

    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        as_device.get(URL)
    key.refresh_from_db()
    assert key.last_used_at == start + timedelta(seconds=61)


class _DeviceSpecificView(APIView):
    """A stand-in for a device-specific URL (`device_pk` in the path)."""

    authentication_classes = [DeviceAuthentication]
    permission_classes = [IsActiveDevice, KeyMatchesDevice]

    def get(self, request, device_pk):
        return Response({"ok": True})


def test_a_key_of_another_device_is_refused_on_a_device_specific_url(device, device_key, org_a):
    other = Device.objects.create(organization=org_a, serial_number="HM-9", model="HM-3L")
    view = _DeviceSpecificView.as_view()

    def ask(device_pk):
        request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Device {device_key}")
        return view(request, device_pk=str(device_pk))

    assert ask(device.pk).status_code == 200
    assert ask(other.pk).status_code == 403
