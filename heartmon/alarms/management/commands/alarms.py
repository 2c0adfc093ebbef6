"""`heartmon alarms replay`: the what-if replay from the shell, as the API answers it.

    heartmon alarms replay --place WARD_ID --start 2026-11-20 --end 2026-11-20 [--rules rules.json]

`--rules` names a JSON file holding a list of rules as the API takes them (metric, low, high,
delay_seconds, ...); without it, each patient's effective rules."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heartmon.alarms.serializers import ProposedRuleSerializer, limits_of
from heartmon.alarms.services.replays import replay_alarms
from heartmon.clinic.models import Patient, Place
from heartmon.core.actor import Actor
from heartmon.core.time import parse_time


class Command(BaseCommand):
    help = "Alarms from the shell: `replay` what rules would have raised over stored readings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["replay"])
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--patient", help="A patient's id.")
        which.add_argument("--place", help="A place's id (everyone admitted in it).")
        parser.add_argument("--start", required=True, help="ISO 8601, epoch, or a date.")
        parser.add_argument("--end", required=True, help="As --start; a date includes that day.")
        parser.add_argument("--rules", type=Path, help="A JSON file: a list of rules to try.")
        parser.add_argument("--episodes", action="store_true", help="List every alarm too.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            start = parse_time(options["start"], edge="start")
            end = parse_time(options["end"], edge="end")
            patient = Patient.objects.get(pk=options["patient"]) if options["patient"] else None
            place = Place.objects.get(pk=options["place"]) if options["place"] else None
        except (ValueError, Patient.DoesNotExist, Place.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        answer = replay_alarms(
            patient=patient,
            place=place,
            start=start,
            end=end,
            proposed=_proposed(options["rules"]),
            actor=Actor.of_system("cli"),
        )
        if not options["episodes"]:
            answer.pop("episodes")
        self.stdout.write(json.dumps(answer, indent=2))


def _proposed(path: Path | None) -> Any:
    if path is None:
        return None
    serializer = ProposedRuleSerializer(data=json.loads(path.read_text()), many=True)
    if not serializer.is_valid():
        raise CommandError(f"Invalid rules: {serializer.errors}")
    return {rule["metric"]: limits_of(rule) for rule in serializer.validated_data}
