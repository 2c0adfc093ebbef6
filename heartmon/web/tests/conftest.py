"""Pages are opened as a browser would: a Django test client carrying the access cookie that
cookie-mode sign-in sets."""

import pytest
from django.conf import settings
from django.test import Client
from rest_framework_simplejwt.tokens import AccessToken

from heartmon.ecg.models import Recording
from heartmon.ecg.tests import signals


def signed_in_client(user) -> Client:
    client = Client()
    client.cookies[settings.AUTH_COOKIE_ACCESS] = str(AccessToken.for_user(user))
    return client


@pytest.fixture
def page_as():
    return signed_in_client


@pytest.fixture
def ecg_recording(settings, tmp_path, as_alice, monitored):
    """A 20-second 2-lead recording of MIT-BIH record 100, uploaded for `patient`."""
    settings.MEDIA_ROOT = tmp_path / "media"
    body = signals.upload_fields(device=monitored, seconds=20)
    response = as_alice.post("/api/v1/ecg/recordings/", body, format="multipart")
    assert response.status_code == 201, response.content
    return Recording.objects.get(pk=response.json()["id"])
