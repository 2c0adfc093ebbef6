"""A simulated monitor with the faults real ones have, and the ground truth of each: sustained
episodes a clinician must hear about (bradycardia, tachycardia, desaturation, fever; each at least
30 seconds), motion artefacts (1-5 s spikes no alarm should follow) and probe-off gaps (10-60 s
without data). It measures heart rate, SpO2, respiration rate and temperature; the same seed gives
the same values and faults whatever the wall clock says.

Each fault is reported once it ends, as one truth record: {kind, device, metric, start, end,
level} (times ISO 8601); `heartmon simulate --truth file.jsonl` writes them a line each, and the
benchmark scores alarms against them."""

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from heartmon.telemetry.models import Metric

# kind: (metric, level range, duration range in seconds); levels are out of the default limits.
EPISODES: dict[str, tuple[str, tuple[float, float], tuple[float, float]]] = {
    "bradycardia": (Metric.HEART_RATE.value, (36, 46), (30, 180)),
    "tachycardia": (Metric.HEART_RATE.value, (132, 165), (30, 180)),
    "desaturation": (Metric.SPO2.value, (80, 87), (30, 180)),
    "fever": (Metric.TEMPERATURE.value, (39.4, 40.2), (180, 900)),
}
EPISODES_PER_HOUR = 1.0  # per patient
ARTEFACTS_PER_HOUR = 8.0
ARTEFACT_SECONDS = (1, 5)
PROBE_OFF_PER_HOUR = 1.5
PROBE_OFF_SECONDS = (10, 60)
ONSET_SECONDS = 2.0  # time constant of an episode setting in and wearing off

# A patient's own value is drawn from the range; readings add noise of the given spread.
BASELINES: dict[str, tuple[float, float, float]] = {
    Metric.HEART_RATE.value: (60, 85, 1.5),
    Metric.SPO2.value: (95.5, 98.5, 0.6),
    Metric.RESP_RATE.value: (12, 18, 0.8),
    Metric.TEMPERATURE.value: (36.5, 37.3, 0.02),
}
DECIMALS = {Metric.HEART_RATE.value: 0, Metric.SPO2.value: 0, Metric.RESP_RATE.value: 0}


@dataclass
class Fault:
    kind: str
    metric: str | None
    level: float | None
    ends_in: float
    started: datetime


@dataclass
class FaultyMonitor:
    """One patient's monitor. `step` gives the readings taken at a time (none while the probe is
    off); `record` receives each fault's truth when it ends."""

    rng: random.Random
    serial: str
    record: Callable[[dict[str, Any]], object]
    baselines: dict[str, float] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=dict)  # how far an episode has taken each
    episode: Fault | None = None
    artefact: Fault | None = None
    probe_off: Fault | None = None

    @classmethod
    def for_patient(
        cls, *, seed: int, index: int, serial: str, record: Callable[[dict[str, Any]], object]
    ) -> "FaultyMonitor":
        rng = random.Random(f"faults-{seed}-{index}")  # noqa: S311 (a simulation, not a secret)
        baselines = {metric: rng.uniform(low, high) for metric, (low, high, _) in BASELINES.items()}
        return cls(rng=rng, serial=serial, record=record, baselines=baselines)

    def step(self, now: datetime, seconds: float) -> list[tuple[str, float]]:
        """The readings at `now`, `seconds` after the previous step."""
        self._advance(now, seconds)
        if self.probe_off is not None:
            return []
        return [(metric, self._value(metric, seconds)) for metric in BASELINES]

    def _value(self, metric: str, seconds: float) -> float:
        noise = BASELINES[metric][2]
        own = self.baselines[metric]
        goal = 1.0 if self.episode is not None and self.episode.metric == metric else 0.0
        weight = self.weights.get(metric, 0.0)
        weight += (goal - weight) * (1 - math.exp(-seconds / ONSET_SECONDS))
        self.weights[metric] = weight
        level = self.episode.level if goal and self.episode and self.episode.level else own
        value = own + weight * (level - own) + self.rng.gauss(0, noise)
        if self.artefact is not None and self.artefact.metric == metric:
            value = self.artefact.level or value
        if metric == Metric.SPO2.value:
            value = min(value, 100.0)
        return round(value, DECIMALS.get(metric, 1))

    def _advance(self, now: datetime, seconds: float) -> None:
        self.episode = self._tick(self.episode, now, seconds)
        self.artefact = self._tick(self.artefact, now, seconds)
        self.probe_off = self._tick(self.probe_off, now, seconds)
        chance = self.rng.random() * 3600 / seconds
        # An episode and a probe-off gap never overlap: the truth of an episode is then always
        # something the monitor could see.
        calm = self.episode is None and self.probe_off is None
        if calm and chance < EPISODES_PER_HOUR:
            kind = self.rng.choice(list(EPISODES))
            metric, levels, durations = EPISODES[kind]
            self.episode = Fault(
                kind, metric, self.rng.uniform(*levels), self.rng.uniform(*durations), now
            )
        elif self.artefact is None and chance < EPISODES_PER_HOUR + ARTEFACTS_PER_HOUR:
            self.artefact = self._artefact(now)
        elif calm and chance < (EPISODES_PER_HOUR + ARTEFACTS_PER_HOUR + PROBE_OFF_PER_HOUR):
            duration = self.rng.uniform(*PROBE_OFF_SECONDS)
            self.probe_off = Fault("probe_off", None, None, duration, now)

    def _artefact(self, now: datetime) -> Fault:
        """Motion: a heart rate shot up or an SpO2 dropped, for a second or a few."""
        if self.rng.random() < 0.5:
            metric, level = Metric.HEART_RATE, self.rng.uniform(160, 200)
        else:
            metric, level = Metric.SPO2, self.rng.uniform(65, 82)
        seconds = self.rng.randint(*ARTEFACT_SECONDS)
        return Fault("artefact", metric, level, seconds, now)

    def _tick(self, fault: Fault | None, now: datetime, seconds: float) -> Fault | None:
        if fault is None:
            return None
        fault.ends_in -= seconds
        if fault.ends_in > 0:
            return fault
        self.record(
            {
                "kind": fault.kind,
                "device": self.serial,
                "metric": fault.metric,
                "start": fault.started.isoformat(),
                "end": now.isoformat(),
                "level": None if fault.level is None else round(fault.level, 1),
            }
        )
        return None


def simulate_day(
    *, seed: int, index: int, start: datetime, seconds: int, rate_hz: float = 1.0
) -> tuple[dict[str, tuple[list[float], list[float]]], list[dict[str, Any]]]:
    """A monitor's readings over `seconds` from `start` (times in epoch seconds, values) by metric,
    and its truth; for the benchmark, without a server."""
    truth: list[dict[str, Any]] = []
    monitor = FaultyMonitor.for_patient(
        seed=seed, index=index, serial=f"SIM-{index:03}", record=truth.append
    )
    series: dict[str, tuple[list[float], list[float]]] = {m: ([], []) for m in BASELINES}
    step = 1 / rate_hz
    for tick in range(int(seconds * rate_hz)):
        now = start + timedelta(seconds=tick * step)
        epoch = now.timestamp()
        for metric, value in monitor.step(now, step):
            times, values = series[metric]
            times.append(epoch)
            values.append(value)
    return series, truth
