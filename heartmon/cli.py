"""The `heartmon` console script: Django's manage.py under the project's own name.

Commands may be spelled with hyphens (`heartmon mqtt-ingest` runs `mqtt_ingest`)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heartmon.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
