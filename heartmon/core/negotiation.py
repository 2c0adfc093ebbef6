"""Content negotiation that answers an unknown `?format=` with a 400 naming the formats there are,
not DRF's 404 (the resource exists; the parameter is wrong). DRF's own ValidationError, not
core.errors': DRF imports this class while core.errors is still importing DRF."""

from collections.abc import Iterable
from typing import Any

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer


class ContentNegotiation(DefaultContentNegotiation):
    def filter_renderers(self, renderers: Iterable[BaseRenderer], format: str) -> list[Any]:
        renderers = list(renderers)
        matching = [renderer for renderer in renderers if renderer.format == format]
        if not matching:
            formats = ", ".join(str(renderer.format) for renderer in renderers)
            message = f"Unknown format {format[:20]!r}: this endpoint answers {formats}."
            raise exceptions.ValidationError({"format": [message]})
        return matching
