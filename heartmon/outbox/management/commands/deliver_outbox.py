"""`heartmon deliver_outbox`: the outbox's worker without Celery (what `make demo` runs)."""

import logging
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, InterfaceError, close_old_connections

from heartmon.outbox.delivery import deliver_due, purge_finished

logger = logging.getLogger(__name__)

PURGE_EVERY = 3600.0  # seconds


class Command(BaseCommand):
    help = "Deliver the outbox's due e-mails and webhooks, and keep doing it (or --once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Deliver what is due, then stop.")
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds between looks when idle."
        )

    def handle(self, *args: Any, once: bool, interval: float, **options: Any) -> None:
        if once:
            self.stdout.write(f"{deliver_due()} message(s) tried, {purge_finished()} forgotten.")
            return
        stop = _stop_on_signals()
        self.stdout.write("Delivering the outbox's e-mails and webhooks; Ctrl-C stops.")
        self.stdout.flush()
        purged_at = -PURGE_EVERY
        while not stop.is_set():
            if time.monotonic() - purged_at > PURGE_EVERY:
                self._guarded(purge_finished)
                purged_at = time.monotonic()
            if not self._guarded(deliver_due):
                stop.wait(interval)

    def _guarded(self, work: Callable[[], int]) -> int:
        """One round of work; a database that is away (restarting, locked) is waited for."""
        close_old_connections()
        try:
            return work()
        except (DatabaseError, InterfaceError) as exc:
            logger.warning("Outbox: the database is unavailable (%s); retrying", type(exc).__name__)
            return 0


def _stop_on_signals() -> threading.Event:
    """Set by SIGTERM (a deploy) or Ctrl-C: the round under way finishes, so no message is left
    half-sent, to be sent again when its claim expires."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop
