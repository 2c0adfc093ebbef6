"""Reading the links and codes out of the e-mails accounts send."""

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.conf import settings


def link_in(message: Any, page: str) -> dict[str, str]:
    """{uid, token} of the `{PUBLIC_URL}/{page}?uid=..&token=..` link in a message's body."""
    match = re.search(rf"{re.escape(settings.PUBLIC_URL)}/{page}\?\S+", message.body)
    assert match, message.body
    query = parse_qs(urlsplit(match.group()).query)
    assert sorted(query) == ["token", "uid"], match.group()
    return {"uid": query["uid"][0], "token": query["token"][0]}


def code_in(message: Any) -> str:
    """The 6-digit code in a message's body."""
    match = re.search(r"\bcode[^\n]*?\b(\d{6})\b", message.body)
    assert match, message.body
    return match.group(1)
