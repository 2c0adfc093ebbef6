"""Times for the whole project, parsed and checked in one place.

A time is ISO 8601 (no offset means UTC), epoch seconds or epoch milliseconds; in a query string or
a form also a date, YYYY-MM-DD. As the start of a window a date is that day's 00:00 UTC; as its
end it is the next day's 00:00, so `start=2026-11-22&end=2026-11-22` is that whole day, on every
endpoint. A measurement's time (a reading, a recording) lies between 2000 and FUTURE_LEEWAY from
now."""

import math
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from django import forms
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers

Edge = Literal["start", "end"]

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
FUTURE_LEEWAY = timedelta(minutes=5)  # device clocks run ahead; further ahead is a wrong clock
EPOCH_MS_FROM = 100_000_000_000  # a larger epoch number is milliseconds (seconds: year 5138)
DAY = timedelta(days=1)
# Any time the API reads lies a day inside the years Python's datetime holds, so that a day either
# side (an end date's next midnight, an offset, a bucket's edge) never overflows.
FIRST = datetime.min.replace(tzinfo=UTC) + DAY
LAST = datetime.max.replace(tzinfo=UTC) - DAY
TIME_HELP = "ISO 8601 (no offset means UTC), epoch seconds or epoch milliseconds."
WINDOW_HELP = {
    "start": f"From this time on: {TIME_HELP} YYYY-MM-DD is that day's 00:00 UTC.",
    "end": f"Before this time: {TIME_HELP} YYYY-MM-DD includes that whole day.",
}

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
_UNENCODED_PLUS = re.compile(r" (\d{2}:?\d{2})$")
_INVALID = "Give a time as ISO 8601 or epoch seconds or milliseconds."
_OUT_OF_RANGE = "Time is out of range (years 1 to 9999)."


def parse_time(raw: Any, *, edge: Edge = "start") -> datetime:
    """A time as JSON, a query string or a form sends it, in UTC. Raises ValueError with the
    message to show."""
    moment = _parse(raw, edge=edge)
    if not FIRST <= moment <= LAST:
        raise ValueError(_OUT_OF_RANGE)
    return moment


def _parse(raw: Any, *, edge: Edge) -> datetime:
    if isinstance(raw, bool) or raw is None:
        raise ValueError(_INVALID)
    if isinstance(raw, int | float):
        return _from_epoch(raw)
    if not isinstance(raw, str):
        raise ValueError(_INVALID)
    text = raw.strip()
    if _DATE.fullmatch(text):
        return _from_date(text, edge=edge)
    if _NUMBER.fullmatch(text):
        return _from_epoch(float(text) if "." in text else int(text))
    return _from_iso(text)


def _from_epoch(number: float) -> datetime:
    if isinstance(number, float) and not math.isfinite(number):
        raise ValueError("Time must be a finite number.")
    try:
        seconds = number / 1000 if abs(number) >= EPOCH_MS_FROM else number
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError) as exc:  # too large for a float or a date
        raise ValueError(_OUT_OF_RANGE) from exc


def _from_date(text: str, *, edge: Edge) -> datetime:
    try:
        day = date.fromisoformat(text)
        moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return moment if edge == "start" else moment + DAY
    except (OverflowError, ValueError) as exc:
        raise ValueError(f"{text!r} is not a date in range.") from exc


def _from_iso(text: str) -> datetime:
    if "T" in text:  # a "+01:00" offset sent unencoded in a query string arrives as " 01:00"
        text = _UNENCODED_PLUS.sub(r"+\1", text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise ValueError(f"{text[:40]!r} is not an ISO 8601 time.") from exc
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError as exc:  # an offset past year 1 or 9999
        raise ValueError(_OUT_OF_RANGE) from exc


def latest_measurement() -> datetime:
    """The latest time a measurement may carry now."""
    return timezone.now() + FUTURE_LEEWAY


def check_measured(moment: datetime, *, latest: datetime) -> datetime:
    """A measurement's time: from 2000 on and not after `latest`; raises ValueError."""
    if moment < EARLIEST:
        raise ValueError("Times before 2000 are refused.")
    if moment > latest:
        raise ValueError("This time is in the future (more than 5 minutes ahead).")
    return moment


def measured_time(raw: Any, *, latest: datetime) -> datetime:
    return check_measured(parse_time(raw), latest=latest)


def check_window(start: datetime | None, end: datetime | None) -> None:
    if start is not None and end is not None and start >= end:
        raise ValueError("end must be after start.")


def window_parameters(*, required: bool = False) -> list[OpenApiParameter]:
    """`start` and `end` query parameters, documented as this module reads them."""
    return [
        OpenApiParameter(edge, OpenApiTypes.DATETIME, required=required, description=help_text)
        for edge, help_text in WINDOW_HELP.items()
    ]


def validated_window(attrs: dict[str, Any]) -> dict[str, Any]:
    """A serializer's validated `start` and `end`, refused when end does not come after start."""
    try:
        check_window(attrs.get("start"), attrs.get("end"))
    except ValueError as exc:
        raise serializers.ValidationError({"end": str(exc)}) from exc
    return attrs


@extend_schema_field(OpenApiTypes.DATETIME)
class TimeField(serializers.Field):
    """A time in a body, a form or a query (see the module); as a window's `end`, a date
    includes that day."""

    def __init__(self, *, edge: Edge = "start", **kwargs: Any) -> None:
        kwargs.setdefault("help_text", WINDOW_HELP[edge] if edge == "end" else TIME_HELP)
        super().__init__(**kwargs)
        self.edge: Edge = edge

    def to_internal_value(self, data: Any) -> datetime:
        try:
            return self.parse(data)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc

    def parse(self, data: Any) -> datetime:
        return parse_time(data, edge=self.edge)

    def to_representation(self, value: datetime) -> Any:
        return serializers.DateTimeField().to_representation(value)


class MeasuredTimeField(TimeField):
    """When something was measured or recorded: from 2000 to five minutes from now."""

    def parse(self, data: Any) -> datetime:
        return measured_time(data, latest=latest_measurement())


class _MomentFormField(forms.Field):
    def __init__(self, *, edge: Edge, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.edge: Edge = edge

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        try:
            return parse_time(str(value), edge=self.edge)
        except ValueError as exc:
            # As a parameter: the message may quote the input, and django-filter %-formats it.
            raise forms.ValidationError("%(reason)s", params={"reason": str(exc)}) from exc


class MomentFilter(filters.Filter):
    """A query-string time filter (`edge` says how a bare date is read)."""

    field_class = _MomentFormField

    def __init__(self, *, edge: Edge, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", WINDOW_HELP[edge])
        super().__init__(edge=edge, **kwargs)


class WindowForm(forms.Form):
    """A filter form whose `start` must come before its `end`."""

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        try:
            check_window(cleaned.get("start"), cleaned.get("end"))
        except ValueError as exc:
            self.add_error("end", str(exc))
        return cleaned
