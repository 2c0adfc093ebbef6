"""Figures 1-3, on the same readings: the raw COPY ceiling, HTTP batch ingestion through a running
server, and reference 004's naive serializer that saves row by row."""

import http.client
import queue
import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import orjson
import psycopg

from bench.database import Monitored

BATCH = 1000


@dataclass(frozen=True)
class Reading:
    device: Monitored
    value: float
    recorded_at: datetime


@dataclass(frozen=True)
class Batch:
    key: str
    body: bytes
    size: int


def make_readings(cast: Sequence[Monitored], *, per_device: int, end: datetime) -> list[Reading]:
    """1 Hz heart rates of every device over the `per_device` seconds before `end`."""
    rng = random.Random(0)  # noqa: S311 (benchmark data)
    start = end - timedelta(seconds=per_device)
    return [
        Reading(monitored, float(rng.randint(50, 120)), start + timedelta(seconds=second))
        for monitored in cast
        for second in range(per_device)
    ]


def http_batches(readings: Sequence[Reading]) -> list[Batch]:
    """Each device's readings in JSON batches of BATCH, as a device would post them."""
    by_device: dict[str, list[Reading]] = {}
    for reading in readings:
        by_device.setdefault(reading.device.key, []).append(reading)
    batches = []
    for key, own in by_device.items():
        for first in range(0, len(own), BATCH):
            items = [
                {
                    "metric": "heart_rate",
                    "value": reading.value,
                    "recorded_at": reading.recorded_at.isoformat(),
                }
                for reading in own[first : first + BATCH]
            ]
            batches.append(Batch(key, orjson.dumps(items), len(items)))
    return batches


def truncate() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE telemetry_reading")


def copy_seconds(url: str, readings: Sequence[Reading]) -> float:
    """One binary COPY of all the readings into the readings table, committed: the ceiling."""
    from django.utils import timezone

    from heartmon.telemetry.ingest.storage import COLUMNS, COPY_TYPES

    received_at = timezone.now()
    statement = f"COPY telemetry_reading ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY)"
    with psycopg.connect(url) as connection:
        began = time.perf_counter()
        with connection.cursor() as cursor, cursor.copy(statement) as copy:
            copy.set_types(COPY_TYPES)
            for reading in readings:
                copy.write_row(
                    (
                        reading.device.device.pk,
                        reading.device.patient.pk,
                        "heart_rate",
                        reading.value,
                        reading.recorded_at,
                        received_at,
                        "device",
                    )
                )
        connection.commit()
        return time.perf_counter() - began


def post_seconds(url: str, batches: Sequence[Batch], *, clients: int) -> float:
    """Seconds for `clients` concurrent clients (keep-alive connections) to post every batch;
    every answer must say the whole batch was stored."""
    pending: queue.Queue[Batch] = queue.Queue()
    for batch in batches:
        pending.put(batch)
    failures: list[str] = []
    ready = threading.Barrier(clients + 1)

    def client() -> None:
        connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=120)
        ready.wait()
        while not failures:
            try:
                batch = pending.get_nowait()
            except queue.Empty:
                break
            headers = {"Content-Type": "application/json", "Authorization": f"Device {batch.key}"}
            connection.request("POST", "/api/v1/readings/", batch.body, headers)
            response = connection.getresponse()
            answer = response.read()
            if response.status != 200 or orjson.loads(answer)["stored"] != batch.size:
                failures.append(f"{response.status}: {answer[:300]!r}")
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    if failures:
        raise RuntimeError(f"the server refused a batch: {failures[0]}")
    return seconds


def naive_seconds(readings: Sequence[Reading]) -> float:
    """Reference 004's view: a ModelSerializer with many=True, validated then saved, which
    creates the readings one INSERT (and one commit) at a time."""
    from rest_framework import serializers

    from heartmon.telemetry.models import Reading as ReadingModel

    class NaiveReadingSerializer(serializers.ModelSerializer[ReadingModel]):
        class Meta:
            model = ReadingModel
            fields = ["device", "patient", "metric", "value", "recorded_at"]

    data: list[dict[str, Any]] = [
        {
            "device": str(reading.device.device.pk),
            "patient": str(reading.device.patient.pk),
            "metric": "heart_rate",
            "value": reading.value,
            "recorded_at": reading.recorded_at.isoformat(),
        }
        for reading in readings
    ]
    began = time.perf_counter()
    serializer = NaiveReadingSerializer(data=orjson.loads(orjson.dumps(data)), many=True)
    serializer.is_valid(raise_exception=True)
    serializer.save()
    return time.perf_counter() - began
