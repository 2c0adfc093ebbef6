"""Monitors with faults: sustained episodes of at least 30 s, motion artefacts of 1-5 s, probe-off
gaps of 10-60 s without data, each with its ground truth; the same seed, the same day."""

from datetime import UTC, datetime, timedelta

from heartmon.simulator.faults import FaultyMonitor, simulate_day

START = datetime(2026, 11, 20, tzinfo=UTC)


def a_day(seed=7, index=1):
    return simulate_day(seed=seed, index=index, start=START, seconds=6 * 3600)


def test_the_same_seed_gives_the_same_readings_and_faults():
    assert a_day() == a_day()
    assert a_day(seed=8)[1] != a_day()[1]


def test_every_kind_of_fault_happens_with_its_duration():
    truth = [fault for index in range(1, 6) for fault in a_day(index=index)[1]]

    kinds = {fault["kind"] for fault in truth}
    assert {"bradycardia", "tachycardia", "desaturation", "fever", "artefact", "probe_off"} <= kinds
    for fault in truth:
        seconds = (
            datetime.fromisoformat(fault["end"]) - datetime.fromisoformat(fault["start"])
        ).total_seconds()
        if fault["kind"] == "artefact":
            assert 1 <= seconds <= 5
        elif fault["kind"] == "probe_off":
            assert 10 <= seconds <= 61
        else:
            assert seconds >= 30


def test_a_probe_off_gap_sends_nothing():
    series, truth = a_day()
    gap = next(fault for fault in truth if fault["kind"] == "probe_off")
    start = datetime.fromisoformat(gap["start"]).timestamp()
    end = datetime.fromisoformat(gap["end"]).timestamp()

    times = series["heart_rate"][0]

    assert not [t for t in times if start < t < end]


def test_an_episode_takes_its_metric_out_of_band():
    series, truth = a_day()
    episode = next(fault for fault in truth if fault["kind"] == "tachycardia")
    start = datetime.fromisoformat(episode["start"]).timestamp()
    end = datetime.fromisoformat(episode["end"]).timestamp()
    times, values = series["heart_rate"]

    during = [v for t, v in zip(times, values, strict=True) if start + 10 < t < end]

    assert min(during) > 120


def test_a_monitor_reports_each_fault_when_it_ends():
    told: list[dict[str, object]] = []
    monitor = FaultyMonitor.for_patient(seed=1, index=1, serial="SIM-001", record=told.append)

    for second in range(3 * 3600):
        monitor.step(START + timedelta(seconds=second), 1.0)

    assert told
    assert set(told[0]) == {"kind", "device", "metric", "start", "end", "level"}
