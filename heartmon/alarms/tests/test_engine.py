"""The state machine on its own (no database): delay, hysteresis, clear delay, extreme limits
and escalation in place, out-of-order readings, timed checks, and score levels."""

from heartmon.alarms.engine import (
    CLEARED,
    ESCALATED,
    HIGH,
    LOW,
    MEDIUM,
    QUIET,
    RAISED,
    Limits,
    State,
    level,
    step,
    tick,
)

HEART_RATE = Limits(
    low=50,
    high=120,
    priority=MEDIUM,
    delay=6,
    clear_margin=5,
    clear_delay=5,
    extreme_low=40,
    extreme_high=150,
    extreme_delay=2,
)


def run(limits, values, *, start=0.0, state=QUIET):
    """Feed one value a second; returns the final state and the changes as (kind, at, priority)."""
    changes = []
    for offset, value in enumerate(values):
        state, change = step(state, limits, value, start + offset)
        if change is not None:
            changes.append((change.kind, change.at, change.priority))
    return state, changes


def test_a_value_out_for_less_than_the_delay_raises_nothing():
    state, changes = run(HEART_RATE, [130] * 6 + [100])

    assert changes == []
    assert state.is_quiet


def test_a_value_out_for_the_delay_raises_at_the_rules_priority():
    _, changes = run(HEART_RATE, [130] * 8)

    assert changes == [(RAISED, 6.0, MEDIUM)]


def test_an_extreme_value_raises_high_after_the_shorter_delay():
    _, changes = run(HEART_RATE, [35] * 4)

    assert changes == [(RAISED, 2.0, HIGH)]


def test_a_raised_medium_alarm_turning_extreme_is_escalated_in_place():
    _, changes = run(HEART_RATE, [130] * 7 + [155] * 3)

    assert changes == [(RAISED, 6.0, MEDIUM), (ESCALATED, 9.0, HIGH)]


def test_a_value_inside_the_limits_but_not_by_the_margin_does_not_clear():
    state, changes = run(HEART_RATE, [130] * 7 + [118] * 20)

    assert [kind for kind, *_ in changes] == [RAISED]
    assert state.raised == MEDIUM


def test_a_value_back_by_the_margin_clears_after_the_clear_delay():
    _, changes = run(HEART_RATE, [130] * 7 + [100] * 7)

    assert changes[-1] == (CLEARED, 12.0, None)


def test_a_brief_return_inside_the_margin_restarts_the_clear_delay():
    _, changes = run(HEART_RATE, [130] * 7 + [100] * 3 + [130] + [100] * 6)

    assert changes[-1] == (CLEARED, 16.0, None)


def test_a_dip_back_in_band_restarts_the_condition_delay():
    _, changes = run(HEART_RATE, [130] * 5 + [100] + [130] * 6)

    assert changes == []


def test_a_reading_no_later_than_the_last_changes_nothing():
    state, _ = run(HEART_RATE, [130] * 3)

    after, change = step(state, HEART_RATE, 100, 1.0)

    assert (after, change) == (state, None)


def test_a_delay_that_runs_out_without_a_reading_raises_on_the_timed_check():
    state, _ = run(HEART_RATE, [130] * 3)

    _, early = tick(state, HEART_RATE, 4.0)
    _, due = tick(state, HEART_RATE, 6.5)

    assert early is None
    assert due is not None
    assert (due.kind, due.priority) == (RAISED, MEDIUM)


def test_a_clear_delay_that_runs_out_without_a_reading_clears_on_the_timed_check():
    state, _ = run(HEART_RATE, [130] * 7 + [100])

    _, change = tick(state, HEART_RATE, 7 + 5)

    assert change is not None
    assert change.kind == CLEARED


def test_a_limit_that_is_none_never_alarms():
    spo2 = Limits(low=90, high=None, priority=MEDIUM, delay=0)

    _, changes = run(spo2, [100, 100])

    assert changes == []


def test_a_score_raises_escalates_keeps_and_clears():
    state, raised = level(QUIET, MEDIUM, 1.0)
    state, escalated = level(state, HIGH, 2.0)
    state, kept = level(state, LOW, 3.0)
    state, cleared = level(state, None, 4.0)

    assert [raised, escalated, kept, cleared] == [
        (RAISED, 1.0, MEDIUM, None),
        (ESCALATED, 2.0, HIGH, None),
        None,
        (CLEARED, 4.0, None, None),
    ]
    assert state == State(last_at=4.0)
