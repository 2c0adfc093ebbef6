"""Every form is posted. The pages' scripts send forms to the API; pressed before the script has
run (a slow line), the button makes the browser submit the form itself, and as a GET that would
put what was typed (a password, a secret, a patient's name) in the URL, and so in access logs and
the browser's history."""

from html.parser import HTMLParser
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "web"


class Forms(HTMLParser):
    """Each form of a page: its method and the names of its fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, set[str]]] = []
        self.inside = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append(((attributes.get("method") or "get").lower(), set()))
            self.inside = True
        elif tag in {"input", "textarea", "select"} and self.inside:
            self.forms[-1][1].add(attributes.get("name") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False


def forms_of(template: Path) -> list[tuple[str, set[str]]]:
    parser = Forms()
    parser.feed(template.read_text())
    return parser.forms


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("*.html")), ids=lambda path: path.name)
def test_every_form_is_posted(template):
    for method, fields in forms_of(template):
        assert method == "post", f"{template.name}: a form with {fields} is sent by {method}"


def test_the_sign_in_pages_forms_are_found_with_their_fields():
    assert forms_of(TEMPLATES / "signin.html") == [("post", {"email", "password", "otp"})]
