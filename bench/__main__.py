"""`make bench` (`python -m bench`): heartmon's performance figures, measured in one run on one
PostgreSQL database (BENCH_DATABASE_URL, default below; dropped and created afresh, so never
point it at data you keep), printed as a table:

1. raw psycopg COPY of N readings into the readings table: the ceiling;
2. the same N readings posted by devices in batches of 1,000 through the production server
   (granian WSGI workers) and the `make demo` server (uvicorn), with 1 and 4 clients;
3. reference 004's naive DRF serializer (many=True, saved row by row);
4. 5-minute buckets of one device-day at 1 Hz and of 10 devices over a week, on a table of at
   least 10 million readings (medians of repeated runs);
5. the ECG figures of `bench.ecg`;
6. the alarm engine (`bench.alarms`): ingestion under the default rules against 1, the time to
   an alarm at 1,000 devices x 1 Hz, and a simulated 24 h ward replayed with and without delays.
7. the time to refuse ECG uploads built to exhaust a worker (`bench.refusals`).
8. a FHIR Bulk Data export of 1 M readings as NDJSON Observations (`bench.fhir_export`).
9. live monitoring (`bench.live`): vitals latency under load, ECG frames delivered (Redis:
   BENCH_REDIS_URL, default below).
10. the central station in headless Chromium, 16 beds with live ECG sweeps (`bench.browser`).
"""

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any, TypeVar

from bench import aggregation, alarms, database, fhir_export, ingestion, servers

Row = tuple[str, str, str]
T = TypeVar("T")
INGEST_DEVICES = 20
CLIENTS = (1, 4)
INGEST_TARGET = 0.5
DAY_TARGET = "< 5 ms"
LIVE_DEVICES = 1_000  # figure 9a, the ward of wards
LIVE_REDIS_URL = "redis://127.0.0.1:6379/14"  # a database no test run flushes


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("--readings", type=int, default=200_000, help="N, figures 1 and 2")
    parser.add_argument("--naive-readings", type=int, default=20_000, help="figure 3")
    parser.add_argument("--table-readings", type=int, default=10_000_000, help="figure 4")
    parser.add_argument("--runs", type=int, default=21, help="timed runs per figure 4 line")
    parser.add_argument("--ecg-hours", type=float, default=24, help="0 leaves the ECG out")
    parser.add_argument(
        "--alarm-devices", type=int, default=alarms.DEVICES, help="figure 6b; 0 leaves 6 out"
    )
    parser.add_argument(
        "--fhir-readings", type=int, default=1_000_000, help="figure 8; 0 leaves it out"
    )
    parser.add_argument(
        "--live-devices", type=int, default=LIVE_DEVICES, help="figure 9a; 0 leaves live out"
    )
    parser.add_argument("--live-watchers", type=int, default=100, help="figure 9a")
    parser.add_argument("--live-seconds", type=float, default=20, help="figures 9a and 9b")
    parser.add_argument(
        "--browser-seconds", type=float, default=60, help="figure 10; 0 leaves it out"
    )
    parser.add_argument(
        "--only",
        choices=("live", "web"),
        help="measure only this part (after the database is made)",
    )
    arguments = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", database.DEFAULT_URL)
    began = time.monotonic()
    report = Report()
    try:
        with tempfile.TemporaryDirectory(prefix="heartmon-bench-") as var_dir:
            with step(f"Database {url.rsplit('/', 1)[-1]}: dropped, created, migrated"):
                database.recreate(url)
                database.configure_django(url, var_dir)
            if arguments.only is None:
                earlier_figures(report, url, arguments)
            if arguments.live_devices and arguments.only in (None, "live"):
                report.rows += measured("9. Live", partial(live_figures, arguments))
            if arguments.browser_seconds and arguments.only in (None, "web"):
                report.rows += measured("10. Web", partial(web_figures, arguments.browser_seconds))
    finally:  # what was measured, even when a later figure failed
        print(f"\nheartmon bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, ", end="")
        print(f"{os.cpu_count()} cores, {time.monotonic() - began:.0f} s\n")
        report.show()


def earlier_figures(report: "Report", url: str, arguments: argparse.Namespace) -> None:
    ceiling = ingestion_figures(
        report, url, readings=arguments.readings, naive=arguments.naive_readings
    )
    if arguments.alarm_devices:
        alarm_figures(
            report, readings=arguments.readings, devices=arguments.alarm_devices, ceiling=ceiling
        )
    aggregation_figures(report, total=arguments.table_readings, runs=arguments.runs)
    if arguments.ecg_hours:
        report.rows += measured("5. ECG", partial(ecg_figures, arguments.ecg_hours))
    report.rows += measured("7. Refusals", refusal_figures)
    if arguments.fhir_readings:
        report.rows += measured("8. FHIR export", partial(fhir_export.run, arguments.fhir_readings))


def live_figures(arguments: argparse.Namespace) -> list[Row]:
    from bench import live

    redis_url = os.environ.get("BENCH_REDIS_URL", LIVE_REDIS_URL)
    return live.run(
        devices=arguments.live_devices,
        subscribers=arguments.live_watchers,
        seconds=arguments.live_seconds,
        redis_url=redis_url,
    )


def web_figures(seconds: float) -> list[Row]:
    from bench import browser

    redis_url = os.environ.get("BENCH_REDIS_URL", LIVE_REDIS_URL)
    return browser.run(seconds=seconds, redis_url=redis_url)


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def show(self) -> None:
        from bench.ecg import print_table

        print_table([("figure", "value", "ratio to 1 / target"), *self.rows])
        print("", *self.notes, sep="\n")


@contextmanager
def step(title: str) -> Iterator[None]:
    print(f"{title} ...", file=sys.stderr, flush=True)
    began = time.perf_counter()
    yield
    print(f"  {time.perf_counter() - began:.1f} s", file=sys.stderr, flush=True)


def measured(title: str, measure: Callable[[], T]) -> T:
    with step(title):
        return measure()


def ingestion_figures(report: Report, url: str, *, readings: int, naive: int) -> float:
    """Figures 1-3; returns the COPY ceiling in readings a second."""
    organization, admin = database.organization_with_admin("Bench Ingestion")
    cast = database.monitored_devices(organization, admin, INGEST_DEVICES, "ING")
    per_device = readings // INGEST_DEVICES
    end = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)
    rows = ingestion.make_readings(cast, per_device=per_device, end=end)
    batches = ingestion.http_batches(rows)
    earlier = end - timedelta(seconds=per_device + 1)
    warmup = ingestion.http_batches(ingestion.make_readings(cast[:4], per_device=2000, end=earlier))
    count = len(rows)

    ingestion.truncate()
    seconds = measured(f"1. COPY, {count:,} readings", lambda: ingestion.copy_seconds(url, rows))
    _check_stored(count)
    ceiling = count / seconds
    report.rows.append((f"1. raw psycopg COPY, {count:,} readings", _rate(ceiling), "1.00"))
    for server in (servers.production(), servers.demo()):
        with servers.serving(server) as base:
            ingestion.post_seconds(base, warmup, clients=2)
            for clients in CLIENTS:
                ingestion.truncate()
                seconds = measured(
                    f"2. HTTP, {server.name}, {clients} client(s)",
                    partial(ingestion.post_seconds, base, batches, clients=clients),
                )
                _check_stored(count)
                ratio = f"{count / seconds / ceiling:.2f}"
                if server.name.startswith("production"):
                    ratio += f" (target >= {INGEST_TARGET:.2f})"
                report.rows.append(
                    (f"2. HTTP, {server.name}, {clients} client(s)", _rate(count / seconds), ratio)
                )
    ingestion.truncate()
    seconds = measured(
        f"3. naive serializer, {naive:,} readings", lambda: ingestion.naive_seconds(rows[:naive])
    )
    _check_stored(naive)
    report.rows.append(
        (
            f"3. reference 004's DRF serializer, row by row ({naive:,})",
            _rate(naive / seconds),
            f"{naive / seconds / ceiling:.3f}",
        )
    )
    report.notes.append(
        f"Figure 2: the {count:,} readings of figure 1, posted by {INGEST_DEVICES} devices (device "
        f"keys) as JSON batches of {ingestion.BATCH:,}; figure 3 saves the first {naive:,}."
    )
    return ceiling


def alarm_figures(report: Report, *, readings: int, devices: int, ceiling: float) -> None:
    organization, admin = database.organization_with_admin("Bench Alarms")
    cast = database.monitored_devices(organization, admin, INGEST_DEVICES, "ALM")
    batches = alarms.live_batches(cast, per_device=readings // INGEST_DEVICES)
    count = sum(batch.size for batch in batches)
    with servers.serving(servers.production()) as base:
        ingestion.truncate()
        seconds = measured(
            "6a. HTTP, live readings under the default rules, 4 clients",
            partial(ingestion.post_seconds, base, batches, clients=4),
        )
    report.rows.append(
        (
            "6a. HTTP, production, 4 clients, every batch evaluated",
            _rate(count / seconds),
            f"{count / seconds / ceiling:.2f} (target >= {INGEST_TARGET:.2f})",
        )
    )
    _latency_figures(report, organization, admin, devices=devices)
    _ward_figures(report, organization, admin)


def _latency_figures(report: Report, organization: Any, admin: Any, *, devices: int) -> None:
    from heartmon.alarms.models import AlarmRule

    fleet = measured(
        f"6b. {devices:,} monitored devices made",
        lambda: database.monitored_devices(organization, admin, devices, "LAT"),
    )
    AlarmRule.objects.filter(organization=organization).update(
        delay_seconds=0, extreme_delay_seconds=0
    )
    with servers.serving(servers.production()) as base:
        crossing, sent, failed = measured(
            f"6b. {devices:,} devices x 1 Hz (a batch every {alarms.INTERVAL} s) for "
            f"{alarms.LATENCY_SECONDS} s",
            lambda: alarms.latency(base, fleet, seconds=alarms.LATENCY_SECONDS, clients=64),
        )
    stored = alarms.stored_at(crossing)
    missing = [batch for batch in crossing if batch.patient_id not in stored]
    if missing or not crossing:
        raise RuntimeError(f"{len(missing)} of {len(crossing)} crossing batches raised no alarm")
    answer = alarms.percentiles([1000 * (s.answered - s.sent) for s in crossing])
    after = alarms.percentiles([1000 * (stored[s.patient_id] - s.answered) for s in crossing])
    report.rows += [
        (
            f"6b. crossing batch sent to its 200 ({len(crossing)} alarms), p50 / p99",
            f"{answer[0]:.0f} / {answer[1]:.0f} ms",
            f"{failed:,} of {sent:,} batches unanswered in 30 s",
        ),
        (
            "6b. alarm stored after the 200, p50 / p99 (negative: before)",
            f"{after[0]:.0f} / {after[1]:.0f} ms",
            "target p99 < 500 ms",
        ),
    ]


def _ward_figures(report: Report, organization: object, admin: object) -> None:
    series, truth = measured(f"6c. a 24 h ward of {alarms.WARD} simulated", alarms.simulated_ward)
    defaults = alarms.default_limits()
    with_rules = measured(
        "6c. replayed with the default rules", lambda: alarms.score_ward(series, truth, defaults)
    )
    bare = alarms.score_ward(series, truth, alarms.without_delays(defaults))
    reduction = 1 - with_rules.alarms / bare.alarms if bare.alarms else 0.0
    day = measured(
        "6c. one patient-day replayed from the database",
        lambda: alarms.patient_day_replay_seconds(series, organization, admin),
    )
    report.rows += [
        (
            f"6c. 24 h ward, {alarms.WARD} patients: alarms, default rules / no delay",
            f"{with_rules.alarms:,} / {bare.alarms:,}",
            f"reduction {reduction:.0%} (target >= 50 %)",
        ),
        (
            f"6c. sustained episodes missed (of {with_rules.episodes})",
            f"{with_rules.missed} / {bare.missed}",
            "target 0 with the default rules",
        ),
        ("6c. replay of one patient-day at 1 Hz (4 vitals)", f"{day * 1000:.0f} ms", "< 1 s"),
    ]
    report.notes.append(
        "Figure 6: 6a posts live readings (the last four minutes, a 20 s tachycardia a device) as "
        "in "
        f"figure 2; 6b: each device posts its last {alarms.INTERVAL} readings every "
        f"{alarms.INTERVAL} s through the production server (64 client threads), one device in "
        f"{alarms.CROSSERS_EVERY} crossing the heart-rate limit once with the rule's delay at 0; "
        "6c simulates monitors with faults (episodes, artefacts, probe-off gaps) and replays "
        "them with the engine's state machine (an episode counts as caught by an alarm of "
        "its metric from its start to "
        f"{alarms.GRACE:g} s after its end)."
    )


def aggregation_figures(report: Report, *, total: int, runs: int) -> None:
    from heartmon.accounts.testing import make_user
    from heartmon.core.roles import Role

    organization, admin = database.organization_with_admin("Bench Week")
    doctor = make_user(organization, "doctor@bench-week.example", Role.DOCTOR)
    week = database.monitored_devices(organization, admin, aggregation.WEEK_DEVICES, "WEEK")
    filler_organization, filler_admin = database.organization_with_admin("Bench Filler")
    filler = database.monitored_devices(
        filler_organization, filler_admin, aggregation.filler_count(total), "FILL"
    )
    week_end = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    ingestion.truncate()
    count = measured(
        f"4. {total / 1e6:g} M readings loaded",
        lambda: aggregation.load(week, filler, week_end=week_end),
    )
    day = aggregation.Window([week[0].device], week_end - aggregation.DAY, week_end)
    seven_days = aggregation.Window(
        [monitored.device for monitored in week],
        week_end - aggregation.WEEK_DAYS * aggregation.DAY,
        week_end,
    )
    buckets = len(aggregation.aggregate(day)[0]["aggregated_values"])
    if buckets != 24 * 60 // aggregation.BUCKET_MINUTES:
        raise RuntimeError(f"the device-day has {buckets} buckets")
    token = database.bearer_token(doctor)
    server = servers.production()
    with servers.serving(server) as base:
        for title, window, device, target in (
            ("one device-day", day, week[0].device, DAY_TARGET),
            (f"{aggregation.WEEK_DEVICES} devices x 7 days", seven_days, None, ""),
        ):
            ways = (
                ("aggregate_readings()", partial(aggregation.aggregate, window), target),
                ("its SQL alone", aggregation.run_sql(aggregation.captured_sql(window)), target),
                (
                    "GET /readings/aggregate/",
                    aggregation.get_endpoint(base, token, window, device=device),
                    "",
                ),
            )
            for how, run, goal in ways:
                milliseconds = measured(
                    f"4. {title}, {how}", partial(aggregation.median_ms, run, runs=runs)
                )
                report.rows.append(
                    (f"4. {title}, 5-min buckets: {how}", f"{milliseconds:.1f} ms", goal)
                )
    report.notes.append(
        f"Figure 4: a table of {count / 1e6:.2f} M readings at 1 Hz ({aggregation.WEEK_DEVICES} "
        f"devices over 7 days, {len(filler)} more over the last day), vacuumed and analysed; "
        f"medians of {runs} runs; the endpoint through the {server.name} server, audited."
    )


def ecg_figures(hours: float) -> list[Row]:
    from bench import ecg

    return in_test_environment(partial(ecg.run, hours=hours))


def refusal_figures() -> list[Row]:
    from bench import refusals

    return [
        (f"7. {figure}", value, target)
        for figure, value, target in in_test_environment(refusals.run)
    ]


def in_test_environment(run: Callable[[], T]) -> T:
    """bench.ecg and bench.refusals go through Django's test client, which needs the test
    environment."""
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    try:
        return run()
    finally:
        teardown_test_environment()


def _check_stored(expected: int) -> None:
    from heartmon.telemetry.models import Reading

    stored = Reading.objects.count()
    if stored != expected:
        raise RuntimeError(f"{stored:,} readings stored, {expected:,} expected")


def _rate(per_second: float) -> str:
    return f"{per_second:,.0f} readings/s"


if __name__ == "__main__":
    main()
