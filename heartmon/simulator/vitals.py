"""What a simulated patient's monitor measures: one model per metric, each plain arithmetic on a
seeded random generator, so the same seed gives the same values whatever the wall clock says.

A new metric is a new class with `metric` and `next(seconds)` (the `Vital` protocol), added to
`vitals_for`; the devices send one reading per vital at each step."""

import math
import random
from dataclasses import dataclass
from typing import ClassVar, Protocol

from heartmon.telemetry.models import Metric

BOUNDS = (25.0, 250.0)  # what a monitor shows; the API accepts 20-300
EPISODES_PER_HOUR = 3  # per patient: among 10 devices, one starts every two minutes or so
EPISODE_SECONDS = (30.0, 150.0)
ONSET_SECONDS = 8.0  # time constant of an episode setting in and wearing off
DRIFT_SECONDS = 300.0  # time constant of the slow drift back to the baseline
DRIFT_SPREAD = 4.0  # bpm, the drift's typical distance from the baseline
NOISE = 1.5  # bpm, beat-to-beat


class Vital(Protocol):
    """One quantity a simulated monitor measures."""

    @property
    def metric(self) -> str: ...

    def next(self, seconds: float) -> float:
        """The value `seconds` after the previous one."""
        ...


def vitals_for(*, seed: int, index: int) -> tuple[Vital, ...]:
    """What the monitor of simulated patient `index` measures."""
    return (HeartRateModel.for_patient(seed=seed, index=index),)


@dataclass
class HeartRateModel:
    """One patient's heart rate: a baseline of their own, a slow drift around it (an
    Ornstein-Uhlenbeck walk), beat-to-beat noise, and now and then an episode of bradycardia
    (35-48 bpm) or tachycardia (125-165 bpm) that sets in and wears off over seconds."""

    metric: ClassVar[str] = Metric.HEART_RATE.value
    rng: random.Random
    baseline: float
    drift: float = 0.0
    episode: str | None = None  # "bradycardia", "tachycardia" or None
    episode_level: float = 0.0
    episode_left: float = 0.0
    weight: float = 0.0  # how far the episode has taken the rate from the patient's own (0-1)

    @classmethod
    def for_patient(cls, *, seed: int, index: int) -> "HeartRateModel":
        rng = random.Random(f"{seed}-{index}")  # noqa: S311 (a simulation, not a secret)
        return cls(rng=rng, baseline=rng.uniform(58, 88))

    def next(self, seconds: float) -> int:
        """The rate `seconds` after the previous one, in whole bpm as monitors show it."""
        rng = self.rng
        pull = math.exp(-seconds / DRIFT_SECONDS)
        spread = DRIFT_SPREAD * math.sqrt(1 - pull * pull)
        self.drift = self.drift * pull + spread * rng.gauss(0, 1)
        self._advance_episode(seconds)
        own = self.baseline + self.drift
        rate = own + self.weight * (self.episode_level - own) + rng.gauss(0, NOISE)
        return round(min(max(rate, BOUNDS[0]), BOUNDS[1]))

    def _advance_episode(self, seconds: float) -> None:
        if self.episode is None and self.rng.random() < seconds * EPISODES_PER_HOUR / 3600:
            self.episode = self.rng.choice(("bradycardia", "tachycardia"))
            low, high = (35, 48) if self.episode == "bradycardia" else (125, 165)
            self.episode_level = self.rng.uniform(low, high)
            self.episode_left = self.rng.uniform(*EPISODE_SECONDS)
        if self.episode is not None:
            self.episode_left -= seconds
            if self.episode_left <= 0:
                self.episode = None
        goal = 0.0 if self.episode is None else 1.0
        self.weight += (goal - self.weight) * (1 - math.exp(-seconds / ONSET_SECONDS))


def heart_rates(*, seed: int, index: int, count: int, rate_hz: float = 1.0) -> list[int]:
    """`count` successive rates of simulated patient `index` sampled at `rate_hz`."""
    model = HeartRateModel.for_patient(seed=seed, index=index)
    return [model.next(1 / rate_hz) for _ in range(count)]
