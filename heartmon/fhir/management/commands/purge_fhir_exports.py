from typing import Any

from django.core.management.base import BaseCommand

from heartmon.fhir.writer import purge_expired


class Command(BaseCommand):
    help = (
        "Delete the files of FHIR exports past their expiry (run it hourly, or have Celery beat "
        "run heartmon.fhir.tasks.purge_expired_exports)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{purge_expired()} expired export(s) purged.")
