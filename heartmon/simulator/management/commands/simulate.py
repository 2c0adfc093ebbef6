"""`heartmon simulate`: demo devices streaming heart rates into a running heartmon."""

import signal
import sys
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from heartmon.accounts.management.commands.demo_data import DEMO_ORGANIZATION
from heartmon.accounts.models import Organization, User
from heartmon.core.roles import Role
from heartmon.simulator.fleet import prepare_fleet
from heartmon.simulator.loop import Progress, run
from heartmon.simulator.senders import FatalRefusal, HttpSender, MqttSender, Sender
from heartmon.telemetry import mqtt


class Command(BaseCommand):
    help = (
        "Create (or reuse) demo devices SIM-001... in an organization, give each a fresh key and "
        "a demo patient, and send realistic heart rates (a baseline per patient, slow drift, "
        "noise, now and then bradycardia or tachycardia) to a running server over HTTP, or to "
        "MQTT_URL for `heartmon mqtt-ingest`. The server must use this database."
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
        parser.add_argument("--seed", type=int, default=1, help="same seed, same heart rates")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["devices"] < 1 or options["rate"] <= 0 or options["interval"] <= 0:
            raise CommandError("--devices, --rate and --interval must be positive.")
        if options["via"] == "mqtt" and not options["mqtt_url"]:
            raise CommandError("--via mqtt needs MQTT_URL or --mqtt-url.")
        organization, admin = self._organization_and_admin(options["organization"])
        sender = self._sender(options)
        try:
            fleet = prepare_fleet(
                count=options["devices"],
                organization=organization,
                actor=admin.as_actor(),
                seed=options["seed"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        where = options["url"] if options["via"] == "http" else options["mqtt_url"]
        self.stdout.write(
            f"Simulating {len(fleet)} devices ({fleet[0].serial} to {fleet[-1].serial}) at "
            f"{options['rate']:g} Hz into {where}; Ctrl-C stops."
        )
        # Started in the background by a shell (`make demo`), SIGINT comes in ignored.
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.default_int_handler)
        try:
            run(
                fleet,
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
            raise CommandError(f"The server refused the readings: {exc}") from exc

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
