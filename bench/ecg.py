"""ECG benchmark: a 24-hour, 12-lead, 500 Hz recording uploaded, stored, analysed and read back.

The recording is synthetic but ECG-shaped: MIT-BIH record 100 (MLII and V5, resampled from 360
to 500 Hz) tiled over the day, its two leads mixed into twelve, each with its own baseline wander
and fresh noise (SD 1.5 ADC units, 7.5 µV), as little-endian int16 at 200 units per mV. It goes in
through the real endpoint (multipart POST, streamed to disk, chunked and compressed), then the
analysis runs on its own clock, then 50 random one-minute windows come back through the samples
endpoint at full resolution and with max_points=2000.

Before it, the analysis is scored on the MIT-BIH records kept with the tests (100 and the dev
records 105, 114, 200, 232), the field's way: a detection within 150 ms of a reference beat
annotation is a true positive, whole records; per record and gross sensitivity and positive
predictivity for heartmon and, in the same run, for sleepecg (a published detector, dev-only
dependency) on the same lead; the heart rate's mean absolute difference from the same monitor
rate applied to the reference beats; pauses found against the reference's; V-beat sensitivity (of
the reference V beats matched to a detection, those called V) and positive predictivity (of the
beats called V, those that are reference V beats); and the time to analyse record 100 (two
leads, 30 minutes).

Run alone: `.venv/bin/python -m bench.ecg [--hours 24]`; it works in a throwaway copy of the
database DATABASE_URL names and a temporary media folder. Without DATABASE_URL that is SQLite
and no PostgreSQL is needed, but the analysis then includes storing its 86,400 heart-rate readings
as model objects through bulk_create, several seconds (PostgreSQL takes them in one COPY, as
`make bench` measures).
"""

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import wfdb
from scipy import signal
from wfdb import processing

from heartmon.ecg.findings import analyse

LEADS = ["I", "II", "III", "aVR", "aVL", "aVF", "V1", "V2", "V3", "V4", "V5", "V6"]
# How much of MLII and of V5 each lead takes (a rough stand-in for real lead geometry).
MIX = np.array(
    [
        [0.5, 0.3],
        [1.0, 0.0],
        [0.5, -0.3],
        [-0.75, -0.15],
        [0.0, 0.3],
        [0.75, -0.15],
        [-0.3, -0.4],
        [-0.1, 0.2],
        [0.2, 0.5],
        [0.4, 0.8],
        [0.2, 1.0],
        [0.1, 0.9],
    ]
)
SAMPLE_RATE = 500
GAIN = 200.0  # ADC units per mV
NOISE = 1.5  # ADC units
RECORD = Path(__file__).parent.parent / "heartmon/ecg/tests/data/mitdb-100/100"
WINDOWS = 50
WINDOW = timedelta(minutes=1)
MAX_POINTS = 2000

Row = tuple[str, str, str]


def write_recording(path: Path, *, hours: float, seed: int = 0) -> int:
    """Write the synthetic recording as interleaved int16; returns the samples per lead."""
    rng = np.random.default_rng(seed)
    record = wfdb.rdrecord(str(RECORD))
    tile = signal.resample_poly(record.p_signal, 25, 18, axis=0) @ MIX.T  # 360 -> 500 Hz, mV
    total = int(hours * 3600 * SAMPLE_RATE)
    phases = rng.uniform(0, 2 * np.pi, len(LEADS))
    with path.open("wb") as out:
        for start in range(0, total, len(tile)):
            length = min(len(tile), total - start)
            seconds = (start + np.arange(length)) / SAMPLE_RATE
            wander = 0.1 * np.sin(2 * np.pi * 0.15 * seconds[:, None] + phases)
            block = (tile[:length] + wander) * GAIN + rng.normal(0, NOISE, (length, len(LEADS)))
            out.write(np.round(block).astype("<i2").tobytes())
    return total


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.2f} %" if whole else "-"


def _scores(comparisons: list[Any]) -> tuple[int, int, int]:
    return tuple(sum(getattr(c, name) for c in comparisons) for name in ("tp", "fn", "fp"))


def detection_rows() -> list[Row]:
    """Per-record and gross detection for heartmon and sleepecg, heart rate, pauses, V beats."""
    import sleepecg

    from heartmon.ecg.tests import records

    rows: list[Row] = []
    ours, theirs = [], []
    for name in records.PATHS:
        result = records.scored(name)
        record = wfdb.rdrecord(str(records.PATHS[name]), channels=[0])
        found = sleepecg.detect_heartbeats(record.p_signal[:, 0], record.fs)
        other = processing.compare_annotations(result.reference, found, int(0.150 * record.fs))
        ours.append(result.comparison)
        theirs.append(other)
        rows.append(
            (
                f"Beats, MIT-BIH {name}: heartmon / sleepecg Se, +P (FN, FP)",
                f"{_pair(result.comparison)} / {_pair(other)}",
                ">= 99.0 %",
            )
        )
    for label, comparisons in (("heartmon", ours), ("sleepecg", theirs)):
        tp, fn, fp = _scores(comparisons)
        rows.append(
            (
                f"Beats, gross over the 5 records, {label}: Se / +P (FN + FP)",
                f"{_percent(tp, tp + fn)} / {_percent(tp, tp + fp)} ({fn + fp})",
                ">= 99.7 %",
            )
        )
    return rows + _rhythm_rows(records)


def _pair(comparison: Any) -> str:
    tp, fn, fp = comparison.tp, comparison.fn, comparison.fp
    return f"{_percent(tp, tp + fn)}, {_percent(tp, tp + fp)} ({fn}, {fp})"


def _rhythm_rows(records: Any) -> list[Row]:
    rows: list[Row] = []
    for name in records.DEV:
        rates, reference = records.scored(name).findings.heart_rate, records.reference_rate(name)
        both = np.isfinite(rates) & np.isfinite(reference)
        error = float(np.abs(rates[both] - reference[both]).mean())
        found, truth, called = records.ventricular_counts(name)
        pauses = len(records.scored(name).findings.pauses)
        rows.append(
            (
                f"MIT-BIH {name}: HR error / pauses found, reference / V beats Se, +P",
                f"{error:.2f} bpm / {pauses}, {len(records.reference_pauses(name))} / "
                f"{_percent(found, truth)}, {_percent(found, called)} ({called} called)",
                "<= 1 bpm / all, none invented / >= 90 %",
            )
        )
    return rows


def analysis_seconds() -> float:
    """Best of 5: analysing record 100 (two leads, 30 minutes): detection, rate, classes."""
    record = wfdb.rdrecord(str(RECORD))
    leads = record.p_signal.astype(np.float32)
    times = []
    for _ in range(5):
        began = time.perf_counter()
        analyse(leads, record.fs)
        times.append(time.perf_counter() - began)
    return min(times)


@contextmanager
def _queued_not_run() -> Iterator[None]:
    """Processing goes to an in-memory queue during the upload, so the upload's time is its own
    (without a broker, Celery would run it inside the request)."""
    from heartmon.celery import app

    before = {"task_always_eager": app.conf.task_always_eager, "broker_url": app.conf.broker_url}
    app.conf.update(task_always_eager=False, broker_url="memory://localhost/")
    try:
        yield
    finally:
        app.conf.update(before)


def _cast() -> tuple[Any, Any, Any]:
    """A doctor's API client (a real Bearer token), a 12-lead device and its patient."""
    from rest_framework.test import APIClient
    from rest_framework_simplejwt.tokens import AccessToken

    from heartmon.accounts.models import Organization
    from heartmon.accounts.testing import make_user
    from heartmon.clinic.models import Patient
    from heartmon.core.roles import Role
    from heartmon.devices.models import Device

    organization = Organization.objects.create(name="Bench Hospital")
    doctor = make_user(organization, "doctor@bench.example", Role.DOCTOR)
    device = Device.objects.create(
        organization=organization, serial_number="BENCH-12", model="H12", lead_count=12
    )
    patient = Patient.objects.create(
        organization=organization, patient_number="B-1", given_name="Bench", family_name="Mark"
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(doctor)}")
    return client, device, patient


def _upload(path: Path, *, hours: float) -> tuple[Any, Any, float]:
    """Upload the file through the endpoint: the client, the stored recording, the seconds."""
    from django.utils import timezone

    from heartmon.ecg.models import ProcessingStatus, Recording

    client, device, patient = _cast()
    start = timezone.now().replace(microsecond=0) - timedelta(hours=hours, minutes=5)
    form = {
        "format": "int16",
        "data_id": "bench-holter",
        "device": str(device.pk),
        "patient": str(patient.pk),
        "start_time": start.isoformat(),
        "sample_rate": str(SAMPLE_RATE),
        "leads": ",".join(LEADS),
        "gain": str(GAIN),
    }
    with path.open("rb") as file, _queued_not_run():
        began = time.perf_counter()
        response = client.post(
            "/api/v1/ecg/recordings/", {**form, "file": file}, format="multipart"
        )
        seconds = time.perf_counter() - began
    if response.status_code != 201:
        raise RuntimeError(f"upload answered {response.status_code}: {response.content!r}")
    recording = Recording.objects.get(pk=response.json()["id"])
    if recording.status != ProcessingStatus.PENDING:
        raise RuntimeError("the upload processed the recording: its time is not its own")
    return client, recording, seconds


def _stored_bytes(recording: Any) -> int:
    from django.core.files.storage import default_storage

    folder = f"{recording.storage_prefix}/chunks"
    _, names = default_storage.listdir(folder)
    return sum(default_storage.size(f"{folder}/{name}") for name in names)


def _analyse(recording: Any) -> tuple[float, float]:
    """Seconds the analysis of the recording takes, on the clock and in this process's CPU
    time (which a loaded machine inflates less)."""
    from heartmon.core.actor import Actor
    from heartmon.ecg.models import ProcessingStatus
    from heartmon.ecg.services.analysis import analyse_recording

    began, cpu = time.perf_counter(), time.process_time()
    analyse_recording(recording_id=recording.pk, actor=Actor.of_system("bench"))
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    recording.refresh_from_db()
    if recording.status != ProcessingStatus.DONE:
        raise RuntimeError(f"processing ended {recording.status}: {recording.status_reason}")
    return seconds, cpu


def _median_ms(client: Any, recording: Any, *, max_points: int | None, seed: int) -> float:
    """Median milliseconds of fetching random one-minute windows (after three to warm up)."""
    url = f"/api/v1/ecg/recordings/{recording.pk}/samples/"
    latest = recording.duration - WINDOW.total_seconds()
    offsets = np.random.default_rng(seed).uniform(0, latest, WINDOWS + 3)
    times = []
    for offset in offsets.tolist():
        start = recording.start_time + timedelta(seconds=offset)
        query = {"start": start.isoformat(), "end": (start + WINDOW).isoformat()}
        if max_points is not None:
            query["max_points"] = str(max_points)
        began = time.perf_counter()
        response = client.get(url, query)
        times.append((time.perf_counter() - began) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"samples answered {response.status_code}: {response.content!r}")
    return statistics.median(times[3:])


def run(*, hours: float = 24) -> list[Row]:
    """The ECG figures as (figure, value, target) rows. Needs Django set up on a database the
    bench may fill (see `throwaway_database`)."""
    from django.conf import settings
    from django.test import override_settings

    scored = detection_rows()
    record_s = analysis_seconds()
    with tempfile.TemporaryDirectory(prefix="heartmon-bench-ecg-") as folder:
        path = Path(folder) / "holter.i16"
        samples = write_recording(path, hours=hours)
        file_gb = path.stat().st_size / 1e9
        local = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
        with override_settings(
            MEDIA_ROOT=Path(folder) / "media",
            STORAGES={**settings.STORAGES, "default": local},
            ECG_MAX_UPLOAD_MB=int(file_gb * 1000) + 1,
        ):
            client, recording, upload_s = _upload(path, hours=hours)
            per_sample = _stored_bytes(recording) / (samples * len(LEADS))
            analysis_s, analysis_cpu = _analyse(recording)
            full_ms = _median_ms(client, recording, max_points=None, seed=1)
            reduced_ms = _median_ms(client, recording, max_points=MAX_POINTS, seed=2)
    size = f"{hours:g} h x {len(LEADS)} leads x {SAMPLE_RATE} Hz, {file_gb:.2f} GB of int16"
    window = f"ECG 1-minute window (median of {WINDOWS})"
    return [
        (f"ECG upload and store ({size})", f"{upload_s:.1f} s", ""),
        ("ECG bytes stored per sample", f"{per_sample:.2f}", "<= 1.5"),
        (f"{window}, full resolution", f"{full_ms:.1f} ms", "< 50 ms"),
        (f"{window}, max_points={MAX_POINTS}", f"{reduced_ms:.1f} ms", "< 50 ms"),
        (
            f"ECG analysis ({recording.beat_count:,} beats; CPU time in brackets)",
            f"{analysis_s:.1f} s ({analysis_cpu:.1f} s)",
            "< 10 s",
        ),
        ("ECG analysis of MIT-BIH 100 (2 leads, 30 min)", f"{record_s * 1000:.0f} ms", "< 200 ms"),
        *scored,
    ]


@contextmanager
def throwaway_database() -> Iterator[None]:
    """A test copy of the configured database, created for the run and dropped after, in
    Django's test environment (the test client's host allowed, mail kept in memory)."""
    from django.test.utils import (
        setup_databases,
        setup_test_environment,
        teardown_databases,
        teardown_test_environment,
    )

    setup_test_environment()
    created = setup_databases(verbosity=0, interactive=False)
    try:
        yield
    finally:
        teardown_databases(created, verbosity=0)
        teardown_test_environment()


def print_table(rows: list[Row]) -> None:
    width = max(len(figure) for figure, _, _ in rows)
    value_width = max(len(value) for _, value, _ in rows)
    for figure, value, target in rows:
        print(f"{figure:<{width}}  {value:>{value_width}}  {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=float, default=24, help="length of the recording")
    arguments = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heartmon.settings")
    import django

    django.setup()
    with throwaway_database():
        print_table(run(hours=arguments.hours))


if __name__ == "__main__":
    main()
