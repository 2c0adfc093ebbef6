"""Semantic versions (semver.org 2.0.0): parsing and precedence, for firmware and OTA."""

import re
from functools import total_ordering

# The regular expression semver.org publishes, unchanged.
_SEMVER = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
MAX_LENGTH = 32
HELP = "a semantic version such as 1.4.2 or 2.0.0-rc.1"


@total_ordering
class Version:
    """A parsed version; compares by semver precedence (build metadata is ignored)."""

    def __init__(self, text: str) -> None:
        match = _SEMVER.match(text) if len(text) <= MAX_LENGTH else None
        if match is None:
            raise ValueError(f"{text[:40]!r} is not {HELP}.")
        major, minor, patch, prerelease, _build = match.groups()
        self.text = text
        self.release = (int(major), int(minor), int(patch))
        self.prerelease = tuple(prerelease.split(".")) if prerelease else ()

    def _key(self) -> tuple[tuple[int, int, int], int, tuple[tuple[int, int, str], ...]]:
        # A release outranks its pre-releases; numeric identifiers rank below alphanumeric ones.
        identifiers = tuple(
            (0, int(part), "") if part.isdigit() else (1, 0, part) for part in self.prerelease
        )
        return self.release, 0 if self.prerelease else 1, identifiers

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Version) and self._key() == other._key()

    def __lt__(self, other: "Version") -> bool:
        return self._key() < other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Version({self.text!r})"


def is_valid(text: str) -> bool:
    try:
        Version(text)
    except ValueError:
        return False
    return True
