"""`heartmon simulate`: demo devices streaming heart rates into a running heartmon."""

import contextlib
import json
import signal
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from heartmon.accounts.management.commands.demo_data import DEMO_ORGANIZATION
from heartmon.accounts.models import Organization, User
from heartmon.core.actor import Actor
from heartmon.core.roles import Role
from heartmon.simulator import ecg
from heartmon.simulator.fleet import Fleet, SimulatedDevice, prepare_fleet
from heartmon.simulator.loop import Progress, run
from heartmon.simulator.runs import LEASE, Lease, end_run
from heartmon.simulator.senders import FatalRefusal, HttpSender, MqttSender, Sender
from heartmon.telemetry import mqtt

LOST = (
    "This run was taken for dead and its keys revoked: it could not renew its lease for "
    f"{LEASE.total_seconds():g} seconds (its machine slept, or the database was out of reach) "
    "and another run started meanwhile. Start it again."
)


class Command(BaseCommand):
    help = (
        "Create (or reuse) demo devices SIM-001... in an organization, give each a key of this "
        "run's own (revoked when it ends) and a demo patient, and send realistic heart rates (a "
        "baseline per patient, slow drift, noise, now and then bradycardia or tachycardia) to a "
        "running server over HTTP, or to MQTT_URL for `heartmon mqtt-ingest`. The server must use "
        "this database. Other runs, such as the one `make demo` starts, keep their keys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--devices", type=int, default=10, help="how many (default: 10)")
        parser.add_argument("--rate", type=float, default=1.0, help="readings a second per device")
        parser.add_argument(
            "--duration", type=float, default=0, help="seconds to run (default 0: until Ctrl-C)"
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="seconds between a device's batches"
        )
        parser.add_argument(
            "--ecg",
            type=int,
            nargs="?",
            const=-1,
            default=0,
            metavar="N",
            help="the first N devices (all, without N) also stream live ECG: record 100, looped",
        )
        parser.add_argument("--via", choices=("http", "mqtt"), default="http")
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000",
            help="the server, for --via http (default: http://127.0.0.1:8000)",
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=60,
            help="seconds to keep trying while the server does not answer (default: 60)",
        )
        parser.add_argument(
            "--progress",
            choices=("auto", "lines"),
            default="auto",
            help="auto: one line updated in place on a terminal; lines: a line every 10 s",
        )
        parser.add_argument("--mqtt-url", default=settings.MQTT_URL, help="default: MQTT_URL")
        parser.add_argument("--topic-root", default=mqtt.TOPIC_ROOT)
        parser.add_argument(
            "--organization",
            default=DEMO_ORGANIZATION,
            help=f"its name; it needs an active admin (default: {DEMO_ORGANIZATION!r}, "
            "made by `heartmon demo_data`)",
        )
        parser.add_argument("--seed", type=int, default=1, help="same seed, same values and faults")
        parser.add_argument(
            "--faults",
            action="store_true",
            help="monitors with faults: heart rate, SpO2, respiration and temperature, with "
            "sustained episodes, motion artefacts and probe-off gaps",
        )
        parser.add_argument(
            "--truth",
            type=Path,
            help="write each fault's ground truth to this JSON-lines file (implies --faults)",
        )
        parser.add_argument(
            "--first", type=int, default=1, help="the first device's number (default: 1, SIM-001)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        numbers = (options["devices"], options["first"], options["rate"], options["interval"])
        if min(numbers) <= 0:
            raise CommandError("--devices, --first, --rate and --interval must be positive.")
        if options["via"] == "mqtt" and not options["mqtt_url"]:
            raise CommandError("--via mqtt needs MQTT_URL or --mqtt-url.")
        organization, admin = self._organization_and_admin(options["organization"])
        sender = self._sender(options)
        actor = admin.as_actor()
        with TruthLog(options["truth"], enabled=options["faults"]) as truth:
            self._simulate(
                options, organization=organization, actor=actor, sender=sender, truth=truth
            )

    def _simulate(
        self,
        options: dict[str, Any],
        *,
        organization: Organization,
        actor: Actor,
        sender: Sender,
        truth: "TruthLog",
    ) -> None:
        fleet = self._fleet(options, organization=organization, actor=actor, truth=truth)
        # Started in the background by a shell (`make demo`), SIGINT comes in ignored.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            with Lease(fleet.run_id) as lease, self._ecg(fleet.devices, options):
                self._run(fleet.devices, sender, options, lease=lease)
        finally:
            end_run(run_id=fleet.run_id, actor=actor)

    def _ecg(self, devices: list[SimulatedDevice], options: dict[str, Any]) -> Any:
        """The live ECG streams of the first --ecg devices, while the run lasts."""
        streaming = devices if options["ecg"] < 0 else devices[: options["ecg"]]
        if not streaming:
            return contextlib.nullcontext()
        if options["via"] == "http":
            sender: ecg.EcgSender = ecg.SocketEcgSender(options["url"])
        else:
            sender = ecg.MqttEcgSender(options["mqtt_url"], root=options["topic_root"])
        serials = ", ".join(device.serial for device in streaming)
        self.stdout.write(f"{serials} also stream live ECG (MIT-BIH record 100, lead MLII).")
        return ecg.EcgStreamer(streaming, sender)

    def _fleet(
        self,
        options: dict[str, Any],
        *,
        organization: Organization,
        actor: Actor,
        truth: "TruthLog",
    ) -> Fleet:
        try:
            fleet = prepare_fleet(
                count=options["devices"],
                first=options["first"],
                organization=organization,
                actor=actor,
                seed=options["seed"],
                record_fault=truth.write if truth.enabled else None,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self._warn_about_neighbours(fleet)
        devices = fleet.devices
        where = options["url"] if options["via"] == "http" else options["mqtt_url"]
        self.stdout.write(
            f"Simulating {len(devices)} devices ({devices[0].serial} to {devices[-1].serial}) at "
            f"{options['rate']:g} Hz into {where}; Ctrl-C stops."
        )
        return fleet

    def _run(
        self,
        devices: list[SimulatedDevice],
        sender: Sender,
        options: dict[str, Any],
        *,
        lease: Lease,
    ) -> None:
        try:
            run(
                devices,
                sender,
                rate_hz=options["rate"],
                duration=options["duration"],
                interval=options["interval"],
                progress=Progress(
                    self._write_progress,
                    live=options["progress"] == "auto" and sys.stdout.isatty(),
                ),
            )
        except (FatalRefusal, OSError) as exc:
            if lease.lost:
                raise CommandError(LOST) from exc
            raise CommandError(f"The server refused the readings: {exc}") from exc

    def _warn_about_neighbours(self, fleet: Fleet) -> None:
        """Two runs sending for one device interleave their readings: say so, and how not to."""
        for other, serials in fleet.shared().items():
            self.stderr.write(
                f"{', '.join(serials)}: another `heartmon simulate` ({other}) sends for "
                f"{'this device' if len(serials) == 1 else 'these devices'} too, so both runs' "
                f"readings interleave there. Stop it, or simulate other devices with "
                f"--first {fleet.first_free()}."
            )

    def _write_progress(self, text: str) -> None:
        self.stdout.write(text, ending="")
        self.stdout.flush()

    @staticmethod
    def _organization_and_admin(name: str) -> tuple[Organization, User]:
        organization = Organization.objects.filter(name=name).first()
        if organization is None:
            raise CommandError(f"No organization {name!r}: run `heartmon demo_data` first.")
        admin = User.objects.filter(
            organization=organization, role=Role.ADMIN, is_active=True
        ).first()
        if admin is None:
            raise CommandError(f"{name!r} has no active admin to own the demo devices' keys.")
        return organization, admin

    @staticmethod
    def _sender(options: dict[str, Any]) -> Sender:
        try:
            if options["via"] == "http":
                return HttpSender(options["url"], wait_seconds=options["wait"])
            return MqttSender(options["mqtt_url"], root=options["topic_root"])
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot send to {options['via']}: {exc}") from exc


class TruthLog:
    """Faults' ground truth, a JSON line each, flushed as they come (so a run stopped with Ctrl-C
    keeps what it logged). Faults are on with a file or with --faults alone."""

    def __init__(self, path: Path | None, *, enabled: bool) -> None:
        self.path, self.enabled = path, enabled or path is not None
        self.file: Any = None

    def __enter__(self) -> "TruthLog":
        if self.path is not None:
            self.file = self.path.open("a", encoding="utf-8")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.file is not None:
            self.file.close()

    def write(self, fault: dict[str, Any]) -> None:
        if self.file is not None:
            self.file.write(json.dumps(fault) + "\n")
            self.file.flush()
