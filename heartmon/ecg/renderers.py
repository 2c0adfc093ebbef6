"""Fast answers for signal windows: orjson writes numpy arrays directly, and raw int16 goes out
as bytes."""

from collections.abc import Iterable, Mapping
from typing import Any

import orjson
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer

OPTIONS = orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_UTC_Z


class OrjsonRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        return b"" if data is None else orjson.dumps(data, option=OPTIONS)


class Int16Renderer(OrjsonRenderer):
    """Little-endian int16 samples, leads interleaved; errors still come as problem JSON."""

    media_type = "application/octet-stream"
    format = "int16"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        if isinstance(data, bytes):
            return data
        return super().render(data, accepted_media_type, renderer_context)


class FileNegotiation(DefaultContentNegotiation):
    """File downloads answer one type whatever the Accept header says, and leave `?format=` to
    the view (DRF would read it as a renderer's name); errors are problem JSON."""

    def select_renderer(
        self, request: Any, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type
