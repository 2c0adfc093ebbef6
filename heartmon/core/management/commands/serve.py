"""`heartmon serve [name ...]`: run the Procfile's production processes on one host.

honcho starts every process the Procfile names (or those given), prefixes each output line
with the process's name, and stops them all when one stops, on Ctrl-C or on SIGTERM. Every
process gets the same PROMETHEUS_MULTIPROC_DIR, emptied at each start, so that `/metrics`
adds up the samples of all web workers and Celery processes.
"""

import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from honcho.environ import parse_procfile
from honcho.manager import Manager


class Command(BaseCommand):
    help = "Run the Procfile's processes (all, or those named) on this host."
    requires_system_checks: list[str] = []  # each process checks its own configuration

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("names", nargs="*", help="Procfile processes to run (default: all).")
        parser.add_argument("--procfile", default="Procfile", help="Default: ./Procfile.")

    def handle(self, *args: Any, names: list[str], procfile: str, **options: Any) -> None:
        commands = chosen_processes(Path(procfile), names)
        environment = process_environment()
        manager = Manager()
        for name, command in commands.items():
            manager.add_process(name, command, env=environment)
        manager.loop()
        sys.exit(manager.returncode)


def chosen_processes(procfile: Path, names: list[str]) -> dict[str, str]:
    try:
        processes = parse_procfile(procfile.read_text()).processes
    except OSError as exc:
        raise CommandError(f"Cannot read {procfile}: {exc.strerror}.") from exc
    unknown = sorted(set(names) - set(processes))
    if unknown:
        raise CommandError(
            f"{procfile} has no {', '.join(unknown)}; it has {', '.join(processes)}."
        )
    return {name: command for name, command in processes.items() if not names or name in names}


def process_environment() -> dict[str, str]:
    """This environment, with this virtualenv's commands on the PATH and a fresh directory for
    the processes' metrics."""
    metrics = Path(os.environ.get("PROMETHEUS_MULTIPROC_DIR", settings.VAR_DIR / "metrics"))
    metrics.mkdir(parents=True, exist_ok=True)
    for stale in metrics.glob("*.db"):
        stale.unlink()
    commands = str(Path(sys.executable).parent)
    return {
        **os.environ,
        "PATH": os.pathsep.join([commands, os.environ.get("PATH", "")]),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics),
    }
