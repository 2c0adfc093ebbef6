"""The alarm state machine, pure: no database, no clock. Live evaluation (`evaluation`), the timed
checks (`periodic`) and the what-if replay (`replay`) all run these functions, so a replay
answers exactly what the live engine would have done.

Times are seconds since the epoch, taken from the readings' `recorded_at` (the wall clock only
in `tick`). A condition is *out* when the value is below `low` or above `high`, *extreme* at or
beyond an extreme limit, and back *in* only when it is inside the limits by the clear margin
(hysteresis); between the limits and the margin nothing changes. A condition is raised when it
has been out for `delay` seconds (extreme: `extreme_delay`, always high priority), escalated to
high in place when it turns extreme while raised at a lower priority, and cleared when it has
been in for `clear_delay` seconds. A reading no later than the last one seen changes nothing, so
readings that arrive out of order never move a condition backwards.
"""

from dataclasses import dataclass, replace
from typing import NamedTuple

HIGH, MEDIUM, LOW = "high", "medium", "low"
RANK = {None: 0, LOW: 1, MEDIUM: 2, HIGH: 3}

# What a step may do to a condition.
RAISED, ESCALATED, CLEARED = "raised", "escalated", "cleared"

IN, MARGIN, OUT, EXTREME = range(4)


@dataclass(frozen=True, slots=True)
class Limits:
    """A rule as the state machine reads it (None: no such limit)."""

    low: float | None
    high: float | None
    priority: str
    delay: float = 0.0
    clear_margin: float = 0.0
    clear_delay: float = 0.0
    extreme_low: float | None = None
    extreme_high: float | None = None
    extreme_delay: float = 0.0


@dataclass(frozen=True, slots=True)
class State:
    """One condition of one patient: the priority it is raised at (None: not raised), since when
    the value has been out, extreme and back in, and the time of the last reading seen."""

    raised: str | None = None
    out_since: float | None = None
    extreme_since: float | None = None
    in_since: float | None = None
    last_at: float | None = None

    @property
    def is_quiet(self) -> bool:
        """Nothing raised or pending: the state of a patient whose values are in band."""
        return self.raised is None and self.out_since is None


QUIET = State()


class Change(NamedTuple):
    kind: str  # RAISED, ESCALATED or CLEARED
    at: float
    priority: str | None  # the priority raised or escalated to
    value: float | None  # the reading that made it, None for a timed check


def band(limits: Limits, value: float) -> int:
    """Where a value lies: IN, MARGIN (inside the limits, not by the clear margin), OUT or
    EXTREME."""
    low, high = limits.low, limits.high
    if (limits.extreme_low is not None and value <= limits.extreme_low) or (
        limits.extreme_high is not None and value >= limits.extreme_high
    ):
        return EXTREME
    if (low is not None and value < low) or (high is not None and value > high):
        return OUT
    margin = limits.clear_margin
    if (low is not None and value < low + margin) or (high is not None and value > high - margin):
        return MARGIN
    return IN


def step(state: State, limits: Limits, value: float, at: float) -> tuple[State, Change | None]:
    """The condition after a reading of `value` at `at`, and what changed, if anything."""
    if state.last_at is not None and at <= state.last_at:
        return state, None
    where = band(limits, value)
    if where >= OUT:
        out_since = state.out_since if state.out_since is not None else at
        extreme_since = None
        if where == EXTREME:
            extreme_since = state.extreme_since if state.extreme_since is not None else at
        moved = State(state.raised, out_since, extreme_since, None, at)
    elif where == MARGIN:
        moved = State(state.raised, None, None, None, at)
    else:
        in_since = None
        if state.raised is not None:
            in_since = state.in_since if state.in_since is not None else at
        moved = State(state.raised, None, None, in_since, at)
    return due(moved, limits, at, value)


def tick(state: State, limits: Limits, now: float) -> tuple[State, Change | None]:
    """The condition when `now` comes without a new reading: a delay or clear delay that has run
    out acts as a reading would have."""
    return due(state, limits, now, None)


def due(
    state: State, limits: Limits, now: float, value: float | None
) -> tuple[State, Change | None]:
    """Raise, escalate or clear when the state's timers have run out by `now`."""
    extreme_for = _since(state.extreme_since, now)
    if state.raised is None:
        if extreme_for is not None and extreme_for >= limits.extreme_delay:
            return _raised(state, HIGH, now, value)
        out_for = _since(state.out_since, now)
        if out_for is not None and out_for >= limits.delay:
            return _raised(state, limits.priority, now, value)
        return state, None
    if state.raised != HIGH and extreme_for is not None and extreme_for >= limits.extreme_delay:
        return replace(state, raised=HIGH), Change(ESCALATED, now, HIGH, value)
    in_for = _since(state.in_since, now)
    if in_for is not None and in_for >= limits.clear_delay:
        return replace(state, raised=None, in_since=None), Change(CLEARED, now, None, value)
    return state, None


def level(state: State, priority: str | None, at: float) -> tuple[State, Change | None]:
    """A condition with no delay, raised at whatever priority a score gives (NEWS2, no data):
    raised when it appears, escalated when it rises, cleared when it goes; a lower score keeps
    the priority already raised. Scores are worked out afresh from what is stored, so only an
    earlier time is ignored."""
    if state.last_at is not None and at < state.last_at:
        return state, None
    if priority is None:
        if state.raised is None:
            return State(last_at=at), None
        return State(last_at=at), Change(CLEARED, at, None, None)
    moved = State(state.raised or priority, last_at=at)
    if state.raised is None:
        return moved, Change(RAISED, at, priority, None)
    if RANK[priority] > RANK[state.raised]:
        return State(priority, last_at=at), Change(ESCALATED, at, priority, None)
    return moved, None


def _since(start: float | None, now: float) -> float | None:
    return None if start is None else now - start


def _raised(state: State, priority: str, now: float, value: float | None) -> tuple[State, Change]:
    return replace(state, raised=priority), Change(RAISED, now, priority, value)
