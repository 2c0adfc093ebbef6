"""The JSON parser of every DRF endpoint: orjson (fast, strict: no NaN or Infinity), nested at most
MAX_DEPTH deep. Python's json recurses once per level, so a body nested 100,000 deep was a
RecursionError (a 500); orjson stops at 1,024 levels, and anything deeper than MAX_DEPTH, which no
request of ours needs, is refused before a serializer, a validator or the renderer recurses
through it. (Reading batches, the big bodies, skip DRF's parsing: telemetry.ingest reads them.)"""

from collections.abc import Mapping
from typing import IO, Any

import orjson
from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_DEPTH = 32


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        try:
            data = orjson.loads(stream.read())
        except orjson.JSONDecodeError as exc:
            raise ParseError(f"JSON parse error: {exc}") from exc
        if deeper_than(data, MAX_DEPTH):
            raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels is refused.")
        return data


def deeper_than(data: Any, depth: int) -> bool:
    """Whether arrays and objects nest more than `depth` levels in `data`, level by level and
    keeping only containers: a flat array of 10,000 objects costs one pass over their values."""
    level = [data] if isinstance(data, dict | list) else []
    for _ in range(depth):
        level = [
            child
            for node in level
            for child in (node.values() if isinstance(node, dict) else node)
            if isinstance(child, dict | list)
        ]
        if not level:
            return False
    return bool(level)
