"""The rhythm events of an analysed recording (pauses, asystole) and its signal quality per
10-second segment: how the analysis stores them, and how others read them.

`recording_events(recording)` is the interface for the alarm engine and anything else that acts
on a recording's analysis: plain dataclasses with absolute times, in time order, no HTTP. An
asystole is a pause of 4 s or more (it is counted among the pauses too); each event starts at
the beat before it and lasts the whole interval.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from heartmon.ecg import storage
from heartmon.ecg.findings import Findings
from heartmon.ecg.heart_rate import ASYSTOLE_S
from heartmon.ecg.models import Recording

FORMAT = 1


@dataclass(frozen=True)
class RhythmEvent:
    kind: str  # "pause" (3-4 s) or "asystole" (4 s or more)
    start: datetime  # the beat before the pause
    offset_s: float  # seconds from the recording's start
    duration_s: float


@dataclass(frozen=True)
class SegmentQuality:
    start: datetime
    offset_s: float
    duration_s: float
    score: float  # 0 (unusable) to 1 (clean)
    reason: str  # "", "flat line", "clipping" or "noise"
    usable: bool  # beats and heart rate are reported inside it
    lead: str  # the lead whose beats it took


@dataclass(frozen=True)
class RecordingEvents:
    events: list[RhythmEvent]
    quality: list[SegmentQuality]


def document(findings: Findings, *, leads: list[int]) -> dict[str, Any]:
    """What the analysis stores (`storage.write_events`): sample positions and lead indices of
    the recording, so the document holds no time zone and no names."""
    quality = findings.quality
    return {
        "format": FORMAT,
        "pauses": [[pause.start, pause.seconds] for pause in findings.pauses],
        "segment_samples": quality.samples,
        "scores": quality.score.tolist(),
        "reasons": quality.reason,
        "usable": quality.usable.tolist(),
        "leads": [leads[index] for index in findings.segment_leads.tolist()],
    }


def recording_events(recording: Recording) -> RecordingEvents:
    """The stored events and segment quality of a recording; empty before its analysis."""
    stored = storage.read_events(recording)
    if stored is None:
        return RecordingEvents([], [])
    return RecordingEvents(rhythm_events(recording, stored["pauses"]), _quality(recording, stored))


def rhythm_events(recording: Recording, pauses: list[tuple[int, float]]) -> list[RhythmEvent]:
    """Pauses as (the sample of the beat before, seconds) made events of the recording."""
    return [
        RhythmEvent(
            kind="asystole" if seconds >= ASYSTOLE_S else "pause",
            start=recording.time_of(start),
            offset_s=round(start / recording.sample_rate, 3),
            duration_s=seconds,
        )
        for start, seconds in pauses
    ]


def _quality(recording: Recording, stored: dict[str, Any]) -> list[SegmentQuality]:
    length = stored["segment_samples"]
    rate = recording.sample_rate
    rows = zip(stored["scores"], stored["reasons"], stored["usable"], stored["leads"], strict=True)
    return [
        SegmentQuality(
            start=recording.start_time + timedelta(seconds=index * length / rate),
            offset_s=round(index * length / rate, 3),
            duration_s=round(min(length, recording.sample_count - index * length) / rate, 3),
            score=score,
            reason=reason,
            usable=usable,
            lead=recording.leads[lead],
        )
        for index, (score, reason, usable, lead) in enumerate(rows)
    ]
