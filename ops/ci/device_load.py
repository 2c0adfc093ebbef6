"""Device clients for the fault checks: each posts numbered batches of readings continuously and,
as a device should, sends a batch again after a 503 (waiting its Retry-After, capped so that
the check stays short) or a connection error, until the batch is acknowledged (200/201)."""

import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

import requests
from django.db import connection
from django.utils import timezone
from seed import Monitor

from heartmon.telemetry.models import Reading

PER_BATCH = 10
SERVICE_UNAVAILABLE = "urn:heartmon:problem:service-unavailable"
RETRY_CAP = 0.5  # seconds; the server asks for 30, which would only slow the check down


class Answers:
    """Every status a check's clients received, and whether each 503 was `service-unavailable`."""

    def __init__(self) -> None:
        self.statuses: Counter[str] = Counter()
        self.unexplained_503 = 0
        self.longest: dict[str, float] = {}
        self.lock = threading.Lock()

    def note(self, what: str, response: requests.Response | None) -> None:
        status = "connection error" if response is None else str(response.status_code)
        with self.lock:
            self.statuses[f"{what} {status}"] += 1
            if response is not None and response.status_code == 503:
                self.unexplained_503 += response.json().get("type") != SERVICE_UNAVAILABLE

    def took(self, what: str, seconds: float) -> None:
        with self.lock:
            self.longest[what] = max(seconds, self.longest.get(what, 0))

    def count(self, status: str) -> int:
        return sum(n for key, n in self.statuses.items() if key.endswith(f" {status}"))

    def in_phase(self, phase: str) -> list[str]:
        """'batch 200: 12'... for the answers noted as `phase: batch 200`..."""
        prefix = f"{phase}: "
        return [
            f"{k[len(prefix) :]}: {n}" for k, n in self.statuses.items() if k.startswith(prefix)
        ]

    def seen(self, prefix: str) -> list[str]:
        """The kinds of answer noted so far that start with `prefix`."""
        with self.lock:
            return [key for key in self.statuses if key.startswith(prefix)]

    def only(self, prefix: str, allowed: tuple[str, ...]) -> bool:
        """Some answers start with `prefix`, and every one of them has an `allowed` status."""
        seen = self.seen(prefix)
        return bool(seen) and all(key.rsplit(" ", 1)[1] in allowed for key in seen)


def answer_of(call: Callable[[], requests.Response]) -> requests.Response | None:
    """The server's answer, or None when the connection failed."""
    try:
        return call()
    except requests.RequestException:
        return None


def retry_after(response: requests.Response | None) -> float:
    if response is None:
        return 0.2
    return min(float(response.headers.get("Retry-After", 1)), RETRY_CAP)


class Device(threading.Thread):
    """Posts batch 0, 1, 2... until `finish` is set; `acknowledged` holds the batches answered
    200/201 (a batch's readings are at `start` + number * PER_BATCH + 0..9 seconds)."""

    def __init__(
        self,
        base: str,
        monitor: Monitor,
        answers: Answers,
        finish: threading.Event,
        phase: list[str] | None = None,
    ) -> None:
        super().__init__(daemon=True)
        self.base, self.monitor, self.answers, self.finish = base, monitor, answers, finish
        self.phase = phase
        self.start_time = timezone.now() - timedelta(hours=10)  # room for hours of batches
        self.acknowledged: list[int] = []

    def run(self) -> None:
        with requests.Session() as session:
            number = 0
            while not self.finish.is_set():
                if self.send(session, number):
                    self.acknowledged.append(number)
                    number += 1

    def send(self, session: requests.Session, number: int) -> bool:
        before = self.phase[0] if self.phase else ""
        response = answer_of(
            lambda: session.post(
                f"{self.base}/api/v1/readings/",
                json=batch(self.start_time, number),
                headers={"Authorization": f"Device {self.monitor.key}"},
                timeout=10,
            )
        )
        self.answers.note(self.label(before), response)
        if response is not None and response.status_code in (200, 201):
            return True
        time.sleep(retry_after(response))
        return False

    def label(self, before: str) -> str:
        """`<phase>: batch` when the phase did not change during the call, `across: batch` when it
        did, `batch` when the check has no phases."""
        if self.phase is None:
            return "batch"
        return f"{before if self.phase[0] == before else 'across'}: batch"

    def stored_twice_and_lost(self) -> tuple[int, int, int]:
        """(stored, stored twice, acknowledged but not stored) readings of this device."""
        connection.close()  # the check's own connection did not survive the restarts
        times = list(
            Reading.objects.filter(device_id=self.monitor.device_id).values_list(
                "recorded_at", flat=True
            )
        )
        offsets = {round((moment - self.start_time).total_seconds()) for moment in times}
        expected = {n * PER_BATCH + k for n in self.acknowledged for k in range(PER_BATCH)}
        return len(times), len(times) - len(offsets), len(expected - offsets)


def batch(start: datetime, number: int) -> list[dict[str, object]]:
    return [
        {
            "metric": "heart_rate",
            "value": 60 + n,
            "recorded_at": (start + timedelta(seconds=number * PER_BATCH + n)).isoformat(),
        }
        for n in range(PER_BATCH)
    ]


def count_devices(devices: list[Device]) -> tuple[int, int, int, int]:
    """(readings acknowledged, stored, stored twice, acknowledged but lost) over `devices`."""
    acknowledged = sum(len(device.acknowledged) * PER_BATCH for device in devices)
    stored = twice = lost = 0
    for device in devices:
        device_stored, device_twice, device_lost = device.stored_twice_and_lost()
        stored, twice, lost = stored + device_stored, twice + device_twice, lost + device_lost
    return acknowledged, stored, twice, lost
