"""Streams as clients name them (`patient:<id>`, `place:<id>`, `alarms`) and the channel-layer
groups behind them. A stream's group is also the key of its sequence numbers and history."""

import uuid
from dataclasses import dataclass

from heartmon.core.errors import InvalidInput

KINDS = ("patient", "place", "alarms")


@dataclass(frozen=True)
class Stream:
    kind: str
    id: uuid.UUID | None = None  # a patient's or a place's; none for the alarm feed

    @property
    def target(self) -> uuid.UUID:
        """The patient's or the place's id."""
        if self.id is None:
            raise TypeError(f"The {self.kind} stream names no patient or place.")
        return self.id

    @property
    def name(self) -> str:
        return self.kind if self.id is None else f"{self.kind}:{self.id}"

    def group(self, organization_id: uuid.UUID | None = None) -> str:
        """The group of this stream; the alarm feed is one per organization."""
        owner = organization_id if self.id is None else self.id
        return f"live.{self.kind}.{owner}"

    @classmethod
    def patient(cls, patient_id: uuid.UUID | str) -> "Stream":
        return cls("patient", uuid.UUID(str(patient_id)))

    @classmethod
    def place(cls, place_id: uuid.UUID | str) -> "Stream":
        return cls("place", uuid.UUID(str(place_id)))


ALARMS = Stream("alarms")


def parse(name: object) -> Stream:
    """`patient:<uuid>`, `place:<uuid>` or `alarms`, else a validation error."""
    text = name if isinstance(name, str) else ""
    kind, _, ident = text.partition(":")
    if text == ALARMS.name:
        return ALARMS
    try:
        if kind in ("patient", "place"):
            return Stream(kind, uuid.UUID(ident))
    except ValueError:
        pass
    raise InvalidInput(
        "Name a stream as patient:<id>, place:<id> or alarms.", field="stream", code="bad_stream"
    )
