"""A FHIR search's parameters, parsed and checked in one place: `_id`, `patient`/`subject`,
`code`, `category`, `identifier`, `date` and `_lastUpdated` with the prefixes eq, ge, gt, le and
lt, `_count`, `_sort` and `_page` (the opaque position of the next page). A parameter the
resource type does not support is refused, never silently ignored: a client that filters on it
would get wrong data."""

import base64
import binascii
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from django.db.models import Q

from heartmon.core.time import parse_time
from heartmon.fhir.outcomes import FhirError

DEFAULT_COUNT = 50
MAX_COUNT = 1000
PREFIXES = ("eq", "ge", "gt", "le", "lt")
ALWAYS_ALLOWED = frozenset({"_count", "_page", "_format"})

_YEAR = re.compile(r"\d{4}")
_MONTH = re.compile(r"\d{4}-\d{2}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TO_MINUTE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})?")


@dataclass(frozen=True)
class Bound:
    """`prefix` applied to the span [low, high) that a date of some precision stands for."""

    prefix: str
    low: datetime
    high: datetime

    def q(self, field_name: str) -> Q:
        if self.prefix == "eq":
            return Q(**{f"{field_name}__gte": self.low, f"{field_name}__lt": self.high})
        lookups = {
            "ge": ("gte", self.low),
            "gt": ("gte", self.high),
            "le": ("lt", self.high),
            "lt": ("lt", self.low),
        }
        lookup, moment = lookups[self.prefix]
        return Q(**{f"{field_name}__{lookup}": moment})

    def admits(self, moment: datetime) -> bool:
        checks = {
            "eq": self.low <= moment < self.high,
            "ge": moment >= self.low,
            "gt": moment >= self.high,
            "le": moment < self.high,
            "lt": moment < self.low,
        }
        return checks[self.prefix]


@dataclass(frozen=True)
class Token:
    system: str | None  # None: any system
    code: str


def names(tokens: list[Token] | None, system: str, code: str) -> bool:
    """Whether a token parameter's values name this code (of this system, or with none)."""
    return tokens is not None and any(
        token.code == code and token.system in (None, system) for token in tokens
    )


@dataclass
class Query:
    ids: list[str] | None = None
    patient: uuid.UUID | None = None
    codes: list[Token] | None = None
    categories: list[Token] | None = None
    identifier: Token | None = None
    date: list[Bound] = field(default_factory=list)
    last_updated: list[Bound] = field(default_factory=list)
    descending: bool = False
    count: int = DEFAULT_COUNT
    page: dict[str, Any] = field(default_factory=dict)  # source name -> the last key it gave


def parse_query(params: Mapping[str, list[str]], *, supported: frozenset[str]) -> Query:
    """The search of a query string (`params` as QueryDict.lists() gives them)."""
    unknown = sorted(set(params) - supported - ALWAYS_ALLOWED)
    if unknown:
        raise FhirError(
            400,
            "not-supported",
            f"Unsupported search parameter(s): {', '.join(unknown)}. "
            f"This type supports {', '.join(sorted(supported))}.",
        )
    query = Query()
    for name, values in params.items():
        for value in values:
            _apply(query, name, value)
    return query


def _apply(query: Query, name: str, value: str) -> None:
    if name == "_id":
        query.ids = (query.ids or []) + [part for part in value.split(",") if part]
    elif name in ("patient", "subject"):
        query.patient = _patient(value)
    elif name == "code":
        query.codes = (query.codes or []) + [_token(part) for part in value.split(",")]
    elif name == "category":
        query.categories = (query.categories or []) + [_token(part) for part in value.split(",")]
    elif name == "identifier":
        query.identifier = _token(value)
    elif name == "date":
        query.date.append(_bound(name, value))
    elif name == "_lastUpdated":
        query.last_updated.append(_bound(name, value))
    elif name == "_sort":
        query.descending = _descending(value)
    elif name == "_count":
        query.count = _count(value)
    elif name == "_page":
        query.page = decode_page(value)


def _patient(value: str) -> uuid.UUID:
    raw = value.removeprefix("Patient/")
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise FhirError(400, "invalid", f"patient: {value[:80]!r} is no Patient id.") from None


def _token(value: str) -> Token:
    if "|" in value:
        system, code = value.split("|", 1)
        return Token(system=system, code=code)
    return Token(system=None, code=value)


def _bound(name: str, value: str) -> Bound:
    prefix, text = (value[:2], value[2:]) if value[:2] in PREFIXES else ("eq", value)
    try:
        low, high = _span(text)
    except ValueError as exc:
        raise FhirError(400, "invalid", f"{name}: {exc}") from None
    return Bound(prefix=prefix, low=low, high=high)


def _span(text: str) -> tuple[datetime, datetime]:
    """The span of time a FHIR date or dateTime of its precision stands for."""
    if _YEAR.fullmatch(text):
        year = int(text)
        return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)
    if _MONTH.fullmatch(text):
        year, month = int(text[:4]), int(text[5:])
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r} is not a month.")
        after = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
        return datetime(year, month, 1, tzinfo=UTC), after
    if _DATE.fullmatch(text):
        return parse_time(text, edge="start"), parse_time(text, edge="end")
    if "T" not in text:
        raise ValueError(f"{text[:40]!r} is not a FHIR date or dateTime.")
    moment = parse_time(text)
    step = timedelta(minutes=1) if _TO_MINUTE.fullmatch(text) else timedelta(seconds=1)
    return moment, moment + (step if moment.microsecond == 0 else timedelta(microseconds=1))


def _descending(value: str) -> bool:
    if value not in ("date", "-date"):
        raise FhirError(400, "not-supported", "_sort: only date and -date are supported.")
    return value == "-date"


def _count(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= MAX_COUNT:
        raise FhirError(400, "invalid", f"_count: give a whole number from 1 to {MAX_COUNT}.")
    return int(value)


def encode_page(positions: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(positions)).decode().rstrip("=")


def decode_page(value: str) -> dict[str, Any]:
    try:
        positions = orjson.loads(base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)))
    except (binascii.Error, ValueError):
        positions = None
    if not isinstance(positions, dict):
        raise FhirError(400, "invalid", "_page: not a position this server gave.")
    return positions
