"""Devices' tests keep their files in a temporary folder (the cast is the root conftest's)."""

import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
