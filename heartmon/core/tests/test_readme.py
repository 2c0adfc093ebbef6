from pathlib import Path

from heartmon.core.roles import role_table_markdown

README = Path(__file__).resolve().parents[3] / "README.md"


def test_the_readme_shows_the_role_table_from_the_code():
    """Regenerate it with `heartmon roles` and paste it into README.md when roles change."""
    assert role_table_markdown() in README.read_text()
