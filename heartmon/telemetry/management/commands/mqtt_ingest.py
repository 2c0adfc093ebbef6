"""`heartmon mqtt-ingest`: store reading batches that devices publish to an MQTT broker."""

import signal
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from heartmon.telemetry import mqtt


class Command(BaseCommand):
    help = (
        f"Subscribe (QoS 1) to {mqtt.readings_topic('+')} on MQTT_URL and store each message "
        'through the same path as HTTP. A message is {"key": "<device key>", "readings": [...], '
        '"atomic": false}, with the items POST /api/v1/readings/ takes; the key must belong to '
        "the device whose serial the topic names. Refusals are published on "
        f"{mqtt.errors_topic('<serial>')}. The session is persistent and a message is "
        "acknowledged only once stored, so nothing published while this command is down or the "
        "database is unreachable is lost. Run one process per client id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            default=settings.MQTT_URL,
            help="mqtt://[user[:password]@]host[:port] or mqtts://... (default: MQTT_URL)",
        )
        parser.add_argument(
            "--client-id",
            default="heartmon-ingest",
            help="The broker keeps this client's session and unacknowledged messages between "
            "runs: keep it fixed (default: heartmon-ingest).",
        )
        parser.add_argument(
            "--topic-root",
            default=mqtt.TOPIC_ROOT,
            help="First topic level, to share one broker between deployments (default: heartmon).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["url"]:
            raise CommandError("MQTT_URL is not set: give the broker as MQTT_URL or --url.")
        try:
            ingester = mqtt.Ingester(
                url=options["url"], client_id=options["client_id"], root=options["topic_root"]
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        def stop(signum: int, frame: FrameType | None) -> None:
            ingester.stop()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(
            f"Ingesting {mqtt.readings_topic('+', ingester.root)} from "
            f"{ingester.broker.host}:{ingester.broker.port} as {options['client_id']}; "
            "Ctrl-C stops."
        )
        ingester.run()
        self.stdout.write("Stopped.")
