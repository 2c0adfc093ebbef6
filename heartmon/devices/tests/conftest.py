"""Devices' extras beside the root cast (device, patient, key, tess, sam): files in a temporary
folder, a ward."""

import pytest

from heartmon.clinic.models import Place, PlaceKind


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ward(org_a) -> Place:
    return Place.objects.create(organization=org_a, kind=PlaceKind.WARD, name="Ward 3")
