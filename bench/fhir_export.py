"""Figure 6: a FHIR Bulk Data export of N readings (1 M by default) as NDJSON Observations.

The readings (heart rates at 1 Hz from DEVICES monitored patients) are loaded in SQL; the export
job is made as a doctor's `GET /fhir/R4/$export?_type=Observation` makes it, then run by the
export task's own code (`heartmon.fhir.writer.run_export`) in a fresh Python process, timed, its
peak memory read as the process's maximum resident set size, beside that of a process that only
started Django and imported the same code: the difference is what the export itself holds. Every
line is counted and the first SAMPLE are validated with fhir.resources. The rate is given by the
clock and by the export process's CPU time (the database's share is not in the latter): a loaded
machine inflates the clock's.

Run alone: `.venv/bin/python -m bench.fhir_export [--readings N]`, on BENCH_DATABASE_URL (dropped
and created afresh, as `make bench` does)."""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bench import database

DEVICES = 12
SAMPLE = 200
INSERT = """
INSERT INTO telemetry_reading
    (device_id, patient_id, metric, value, recorded_at, received_at, source)
SELECT %s, %s, 'heart_rate', round(60 + 30 * random()), moment, moment, 'device'
FROM generate_series(%s::timestamptz, %s::timestamptz - interval '1 second', interval '1 second')
    AS moment
"""
Row = tuple[str, str, str]


def run(readings: int) -> list[Row]:
    job_id = _prepare(readings)
    idle = _child("--idle")
    ran = _child("--run-job", job_id)
    exported = _check(job_id, readings)
    rate = exported / ran["seconds"]
    peak, above = ran["max_rss_kb"] / 1024, (ran["max_rss_kb"] - idle["max_rss_kb"]) / 1024
    return [
        (
            f"8. FHIR $export, {exported:,} readings as NDJSON Observations",
            f"{rate:,.0f} resources/s",
            f"{ran['seconds']:.1f} s ({exported / ran['cpu_seconds']:,.0f}/s of its CPU time)",
        ),
        (
            "8. its peak memory (max RSS)",
            f"{peak:,.0f} MB",
            f"{above:,.0f} MB above an idle process",
        ),
    ]


def _prepare(readings: int) -> str:
    """The readings loaded and an export job made as the kick-off makes it; returns its id."""
    from heartmon.accounts.testing import make_user
    from heartmon.core.roles import Role
    from heartmon.fhir.models import ExportJob, ExportScope

    organization, admin = database.organization_with_admin("Bench FHIR")
    doctor = make_user(organization, "doctor@bench-fhir.example", Role.DOCTOR)
    cast = database.monitored_devices(organization, admin, DEVICES, "FHIR")
    _load(cast, readings)
    job = ExportJob.objects.create(
        organization=organization,
        requested_by=doctor,
        scope=ExportScope.SYSTEM,
        types=["Observation"],
        request_url="http://bench/fhir/R4/$export?_type=Observation",
        transaction_time=datetime.now(UTC),
    )
    return str(job.pk)


def _load(cast: list[database.Monitored], readings: int) -> None:
    from django.db import connection

    from bench.aggregation import _ensure_months

    per_device = -(-readings // len(cast))
    end = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    _ensure_months((end - timedelta(seconds=per_device)).date(), end.date())
    with connection.cursor() as cursor:
        for index, monitored in enumerate(cast):
            count = min(per_device, readings - index * per_device)
            start = end - timedelta(seconds=count)
            cursor.execute(INSERT, [monitored.device.pk, monitored.patient.pk, start, end])
        cursor.execute("VACUUM (ANALYZE) telemetry_reading")


def _child(*arguments: str) -> dict[str, Any]:
    """Run this module in a fresh process (it inherits the bench's database settings)."""
    done = subprocess.run(  # noqa: S603 (our own module)
        [sys.executable, "-m", "bench.fhir_export", *arguments],
        capture_output=True,
        text=True,
        check=False,
        env=os.environ,
    )
    if done.returncode:
        raise RuntimeError(f"bench.fhir_export {' '.join(arguments)} failed:\n{done.stderr}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def _check(job_id: str, readings: int) -> int:
    """The files hold every reading once, and their first lines validate."""
    import orjson
    from django.core.files.storage import default_storage
    from fhir.resources.R4B.observation import Observation

    from heartmon.fhir.models import ExportJob, ExportStatus

    job = ExportJob.objects.get(pk=job_id)
    if job.status != ExportStatus.DONE:
        raise RuntimeError(f"the export ended {job.status}: {job.error}")
    files = list(job.files.all())
    with default_storage.open(f"{job.prefix}/{files[0].name}", "rb") as first:
        for _, line in zip(range(SAMPLE), first, strict=False):
            Observation.model_validate(orjson.loads(line))
    exported = sum(file.count for file in files)
    if exported != readings:
        raise RuntimeError(f"{exported:,} Observations exported, {readings:,} readings stored")
    return exported


def _in_child(arguments: argparse.Namespace) -> None:
    import django

    django.setup()
    from heartmon.fhir.writer import run_export

    figures: dict[str, Any] = {}
    if arguments.run_job:
        began, cpu = time.perf_counter(), time.process_time()
        run_export(job_id=arguments.run_job)
        figures["seconds"] = time.perf_counter() - began
        figures["cpu_seconds"] = time.process_time() - cpu
    figures["max_rss_kb"] = _peak_rss_kb()
    print(json.dumps(figures))


def _peak_rss_kb() -> int:
    """This process's peak resident memory. Linux's VmHWM belongs to the process image; getrusage's
    maximum would carry over the bench's own memory from before the exec."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fhir_export", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--readings", type=int, default=1_000_000)
    parser.add_argument("--run-job", help=argparse.SUPPRESS)
    parser.add_argument("--idle", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.run_job or arguments.idle:
        _in_child(arguments)
        return
    from bench.ecg import print_table

    url = os.environ.get("BENCH_DATABASE_URL", database.DEFAULT_URL)
    with tempfile.TemporaryDirectory(prefix="heartmon-bench-") as var_dir:
        database.recreate(url)
        database.configure_django(url, var_dir)
        print_table([("figure", "value", ""), *run(arguments.readings)])


if __name__ == "__main__":
    main()
