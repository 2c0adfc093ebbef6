"""`heartmon maintain_readings`: keep the readings table's monthly partitions in shape.

Run it daily (cron, a systemd timer, or a Kubernetes CronJob); `make demo` runs it at start."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone

from heartmon.telemetry import partitions


class Command(BaseCommand):
    help = (
        "On PostgreSQL: create the readings partitions from this month to "
        f"{partitions.MONTHS_AHEAD} months ahead, move rows that landed in the default "
        "partition into their new month, and, when READINGS_RETENTION_DAYS is set, drop months "
        "that ended before the retention period and delete older rows from the default "
        "partition. On SQLite readings live in one plain table and there is nothing to do."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not partitions.is_partitioned(connection):
            self.stdout.write(
                f"{connection.vendor}: readings live in one plain table; nothing to maintain."
            )
            return
        retention_days = settings.READINGS_RETENTION_DAYS
        report = partitions.maintain(today=timezone.now().date(), retention_days=retention_days)
        for name in report.created:
            moved = report.folded.get(name, 0)
            folded = f", {moved} readings moved in from the default partition" if moved else ""
            self.stdout.write(f"Created partition {name}{folded}.")
        for name in report.dropped:
            self.stdout.write(f"Dropped partition {name} (older than {retention_days} days).")
        if report.purged_from_default:
            self.stdout.write(
                f"Deleted {report.purged_from_default} readings older than {retention_days} "
                "days from the default partition."
            )
        if not (report.created or report.dropped or report.purged_from_default):
            self.stdout.write("Partitions are up to date.")
        months = sorted(partitions.existing_partitions(connection))
        retention = f"kept {retention_days} days" if retention_days else "kept forever"
        self.stdout.write(
            self.style.SUCCESS(
                f"Readings: {len(months)} monthly partitions, {months[0]} to {months[-1]}; "
                f"{retention}."
            )
        )
