"""Figure 6, the alarm engine, in the run of the COPY ceiling:

a. HTTP ingestion of live readings (recorded in the last minutes, in band but for one
   tachycardia a device) by devices assigned to patients, every batch evaluated under the
   default rules, against figure 1's COPY;
b. alarm latency at DEVICES devices measuring once a second, each posting its readings every
   INTERVAL seconds: for batches that cross a limit (a rule without delay), the time from sending
   to the 200, and when the alarm is stored relative to the 200 (the engine runs once the batch
   commits, before the answer goes out);
c. a simulated 24 h ward of WARD patients (monitors with faults and their ground truth) replayed
   with the default rules and with delays and hysteresis at zero: alarms raised, sustained
   episodes missed, reduction; and the replay of one patient-day at 1 Hz from the database.
"""

import http.client
import random
import statistics
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import numpy as np
import orjson

from bench import database, ingestion
from bench.database import Monitored

DEVICES = 1000
INTERVAL = 5  # seconds between a device's batches (of its readings at 1 Hz)
LATENCY_SECONDS = 30
CROSSERS_EVERY = 10  # one device in ten crosses a limit once
WARD = 20
GRACE = 30.0  # seconds after an episode's end in which its alarm still counts
EPISODES = {"bradycardia", "tachycardia", "desaturation", "fever"}
EPISODE_METRIC = {
    "bradycardia": "heart_rate",
    "tachycardia": "heart_rate",
    "desaturation": "spo2",
    "fever": "temperature",
}


def live_batches(cast: Sequence[Monitored], *, per_device: int) -> list[ingestion.Batch]:
    """Each device's `per_device` readings spread over the last four minutes, in band but for one
    tachycardia of 20 seconds per device (an alarm each), in batches of ingestion.BATCH."""
    rng = random.Random(1)  # noqa: S311 (benchmark data)
    end = datetime.now(UTC)
    spacing = timedelta(minutes=4) / per_device
    episode = int(timedelta(seconds=20) / spacing)
    readings = []
    for monitored in cast:
        onset = rng.randrange(per_device - episode)
        readings += [
            ingestion.Reading(
                monitored,
                float(
                    rng.randint(130, 140) if onset <= n < onset + episode else rng.randint(55, 115)
                ),
                end - spacing * (per_device - n),
            )
            for n in range(per_device)
        ]
    return ingestion.http_batches(readings)


@dataclass
class Sent:
    key: str
    patient_id: Any
    sent: float  # time.time() when sent
    answered: float  # when the 200 came


def latency(
    base: str, cast: Sequence[Monitored], *, seconds: int, clients: int
) -> tuple[list[Sent], int, int]:
    """Every device measures a heart rate a second and posts the last INTERVAL seconds' readings
    every INTERVAL seconds, for `seconds`; a device in CROSSERS_EVERY sends 150 bpm once, halfway.
    Returns the crossing batches' timings, how many batches were sent and how many failed (no
    answer within 30 s: the server fell behind)."""
    ticks = seconds // INTERVAL
    jobs = sorted(
        ((tick + index / len(cast)) * INTERVAL, monitored, _crosses(index, tick, ticks))
        for tick in range(ticks)
        for index, monitored in enumerate(cast)
    )
    crossing: list[Sent] = []
    failures: list[str] = []
    lock = threading.Lock()
    began = time.time() + 1

    def client(own: Sequence[tuple[float, Monitored, bool]]) -> None:
        connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=30)
        for offset, monitored, crosses in own:
            time.sleep(max(0.0, began + offset - time.time()))
            sent = time.time()
            items = [
                {"metric": "heart_rate", "value": 150.0 if crosses else 72.0, "recorded_at": at}
                for at in range(int(sent) - INTERVAL + 1, int(sent) + 1)
            ]
            headers = {
                "Content-Type": "application/json",
                "Authorization": f"Device {monitored.key}",
            }
            try:
                connection.request("POST", "/api/v1/readings/", orjson.dumps(items), headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as exc:
                failures.append(repr(exc))
                connection.close()
                continue
            if response.status != 200:
                failures.append(str(response.status))
            elif crosses:
                with lock:
                    crossing.append(Sent(monitored.key, monitored.patient.pk, sent, time.time()))
        connection.close()

    threads = [threading.Thread(target=client, args=(jobs[i::clients],)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return crossing, len(jobs), len(failures)


def _crosses(index: int, tick: int, ticks: int) -> bool:
    return index % CROSSERS_EVERY == 0 and tick == ticks // 2


def stored_at(crossing: Sequence[Sent]) -> dict[Any, float]:
    """When each crossing patient's alarm was stored (its audit event's time)."""
    from heartmon.audit.models import AuditEvent

    events = AuditEvent.objects.filter(
        action="alarm.raised", patient_id__in=[sent.patient_id for sent in crossing]
    ).values_list("patient_id", "at")
    return {patient_id: at.timestamp() for patient_id, at in events}


def percentiles(values: Sequence[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]


@dataclass
class WardResult:
    alarms: int
    missed: int
    episodes: int


def simulated_ward(*, seed: int = 1) -> tuple[dict[Any, Any], list[dict[str, Any]]]:
    """WARD monitors with faults over 24 h: series by (patient index, metric), and the truth."""
    from heartmon.alarms.replay import Series
    from heartmon.simulator.faults import simulate_day

    start = datetime(2026, 1, 1, tzinfo=UTC)
    series: dict[Any, Series] = {}
    truth: list[dict[str, Any]] = []
    for index in range(1, WARD + 1):
        found, faults = simulate_day(seed=seed, index=index, start=start, seconds=86400)
        for metric, (times, values) in found.items():
            series[index, metric] = Series(times, values)
        truth += faults
    return series, truth


def default_limits() -> dict[str, Any]:
    from heartmon.alarms.defaults import DEFAULT_RULES
    from heartmon.alarms.models import AlarmRule

    return {
        metric: AlarmRule(metric=metric, **rule).limits for metric, rule in DEFAULT_RULES.items()
    }


def without_delays(limits: dict[str, Any]) -> dict[str, Any]:
    return {
        metric: replace(rule, delay=0.0, clear_margin=0.0, clear_delay=0.0, extreme_delay=0.0)
        for metric, rule in limits.items()
    }


def score_ward(
    series: dict[Any, Any], truth: list[dict[str, Any]], limits: dict[str, Any]
) -> WardResult:
    from heartmon.alarms.replay import replay

    rules: dict[Any, dict[str, Any]] = dict.fromkeys(range(1, WARD + 1), limits)
    episodes = replay(series, rules)
    raised: dict[tuple[str, str], list[float]] = {}
    for episode in episodes:
        device = f"SIM-{episode.patient_id:03}"
        raised.setdefault((device, episode.metric), []).append(episode.raised_at)
    sustained = [fault for fault in truth if fault["kind"] in EPISODES]
    missed = 0
    for fault in sustained:
        start = datetime.fromisoformat(fault["start"]).timestamp()
        end = datetime.fromisoformat(fault["end"]).timestamp() + GRACE
        times = np.asarray(raised.get((fault["device"], EPISODE_METRIC[fault["kind"]]), []))
        if not ((times >= start) & (times <= end)).any():
            missed += 1
    return WardResult(len(episodes), missed, len(sustained))


def patient_day_replay_seconds(series: dict[Any, Any], organization: Any, admin: Any) -> float:
    """Store simulated patient 1's day (every metric at 1 Hz) and time the replay service on
    it, from the database with the patient's effective rules (best of three)."""
    from heartmon.alarms.services.replays import replay_alarms
    from heartmon.telemetry.ingest import ReadingRow, store_readings

    cast = database.monitored_devices(organization, admin, 1, f"DAY{organization.pk.hex[:6]}")[0]
    end = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    shift = end.timestamp() - 86400 - series[1, "heart_rate"].times[0]
    rows = [
        ReadingRow(
            cast.device.pk,
            cast.patient.pk,
            metric,
            value,
            datetime.fromtimestamp(at + shift, tz=UTC),
        )
        for (index, metric), found in series.items()
        if index == 1
        for at, value in zip(found.times, found.values, strict=True)
    ]
    store_readings(rows, source="device")
    best = float("inf")
    for _ in range(3):
        began = time.perf_counter()
        replay_alarms(
            patient=cast.patient, start=end - timedelta(days=1), end=end, actor=admin.as_actor()
        )
        best = min(best, time.perf_counter() - began)
    return best
