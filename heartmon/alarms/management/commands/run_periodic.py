"""`heartmon run_periodic`: the alarms' timed checks in a loop, for the demo and for a
deployment without Celery beat (production runs `celery -A heartmon beat`)."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone

from heartmon.alarms.periodic import run_timed_checks


class Command(BaseCommand):
    help = "Run the alarms' timed checks (no data, delays, reminders, NEWS2) every few seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=5.0, help="Seconds between runs.")
        parser.add_argument(
            "--news2-every", type=int, default=12, help="Work out NEWS2 every Nth run."
        )
        parser.add_argument("--once", action="store_true", help="Run once and stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        runs = 0
        while True:
            report = run_timed_checks(now=timezone.now(), news2=runs % options["news2_every"] == 0)
            if report.changes or report.reminders:
                self.stdout.write(f"{report.changes} alarm changes, {report.reminders} reminders")
            runs += 1
            if options["once"]:
                return
            close_old_connections()
            time.sleep(options["interval"])
