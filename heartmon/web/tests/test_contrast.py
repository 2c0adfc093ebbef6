"""The stylesheet's text colours meet WCAG AA (4.5:1) on the backgrounds they are used on."""

import re
from pathlib import Path

import pytest

CSS = Path(__file__).parents[1] / "static" / "web" / "app.css"

# (text, background) as custom properties of :root, or literal colours
PAIRS = [
    ("--ink", "--paper"),
    ("--ink", "--wash"),
    ("--muted", "--paper"),
    ("--muted", "--wash"),
    ("--accent", "--paper"),
    ("--accent-ink", "--accent"),
    ("--danger", "#fdecef"),  # a problem box
    ("--ok", "#e7f5ea"),  # a done box
    ("#ffffff", "--danger"),  # a danger button
    ("#ffffff", "--high"),  # high priority
    ("--medium", "--medium-wash"),  # medium priority
    ("--low", "#e3eefa"),  # low priority
    ("--screen-ink", "--screen"),
    ("--screen-muted", "--screen"),
    ("--hr", "--screen"),
    ("--spo2", "--screen"),
    ("--resp", "--screen"),
    ("--temp", "--screen"),
    ("#ffffff", "#12263f"),  # the header
]


def colours() -> dict[str, str]:
    root = re.search(r":root \{(.*?)\}", CSS.read_text(), re.DOTALL)
    assert root
    return dict(re.findall(r"(--[\w-]+): (#[0-9a-fA-F]{6});", root.group(1)))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(("text", "background"), PAIRS)
def test_text_meets_wcag_aa_on_its_background(text, background):
    palette = colours()
    ratio = contrast(palette.get(text, text), palette.get(background, background))

    assert ratio >= 4.5, f"{text} on {background}: {ratio:.2f}:1"
