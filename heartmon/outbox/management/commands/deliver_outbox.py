"""`heartmon deliver_outbox`: the outbox's worker without Celery (what `make demo` runs)."""

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, InterfaceError, close_old_connections

from heartmon.outbox.delivery import deliver_due

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Deliver the outbox's due e-mails and webhooks, and keep doing it (or --once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Deliver what is due, then stop.")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds between looks when idle."
        )

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        if once:
            self.stdout.write(f"{deliver_due()} message(s) tried.")
            return
        while True:
            if not self._round():
                time.sleep(interval)

    def _round(self) -> int:
        """One round; a database that is away (restarting, locked) is waited for, not fatal."""
        close_old_connections()
        try:
            return deliver_due()
        except (DatabaseError, InterfaceError) as exc:
            logger.warning("Outbox: the database is unavailable (%s); retrying", type(exc).__name__)
            return 0
