"""Semantic version precedence, as firmware and OTA use it."""

import random

import pytest

from heartmon.devices.semver import Version, is_valid


def test_versions_sort_by_semver_precedence():
    ordered = [
        "1.0.0-alpha",
        "1.0.0-alpha.1",
        "1.0.0-alpha.beta",
        "1.0.0-beta.2",
        "1.0.0-beta.11",
        "1.0.0-rc.1",
        "1.0.0",
        "1.2.0",
        "1.10.0",
        "2.0.0",
    ]

    shuffled = random.sample(ordered, len(ordered))

    assert sorted(shuffled, key=Version) == ordered
    assert Version("1.0.0+build.7") == Version("1.0.0")


@pytest.mark.parametrize(
    "text", ["1", "1.2", "01.2.3", "1.2.3.4", "v1.2.3", "1.2.3-", "", "1" * 40]
)
def test_it_rejects_what_is_not_a_semantic_version(text):
    assert not is_valid(text)
