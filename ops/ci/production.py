"""CI checks of the production stack the README documents, run by .ci/run:

  production.py stack   nginx (ops/nginx) in front of `heartmon serve` (the Procfile: granian
                        WSGI workers, a Celery worker, mqtt-ingest, the live ASGI process) with
                        DEBUG=0, PostgreSQL, Redis and a Mosquitto from ops/mosquitto; slow and
                        idle clients, mixed load with sign-ins, then the smoke test and the
                        /metrics scrape.
  production.py broker  a Mosquitto from ops/mosquitto restarted during MQTT ingestion: nothing
                        acknowledged is lost, nothing stored twice, a device reads only its own
                        errors topic.

Each check drops and creates its own PostgreSQL database, uses its own Redis database and
loopback ports, and stops every process it started. Exits 1 when a requirement fails.
"""

import argparse
import os
import secrets
import subprocess
import sys
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from services import BIN, INGEST_USER

PORTS = {
    "proxy": 18000,
    "web": 18001,
    "live": 18002,
    "stack_broker": 18832,
    "restart_broker": 18830,
}
METRICS_TOKEN = secrets.token_urlsafe(24)
INGEST_PASSWORD = secrets.token_urlsafe(18)


def environment(args: argparse.Namespace, broker_port: int) -> dict[str, str]:
    """The production settings (README, "Running in production"), on this machine's services."""
    work: Path = args.work
    return {
        "DJANGO_SETTINGS_MODULE": "heartmon.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PUBLIC_URL": f"http://127.0.0.1:{PORTS['proxy']}",
        "DATABASE_URL": f"{args.postgres}/{args.database}?conn_max_age=600",
        "REDIS_URL": f"redis://127.0.0.1:6379/{args.redis_db}",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:6379/{args.redis_db}",
        "MQTT_URL": f"mqtt://{INGEST_USER}:{INGEST_PASSWORD}@127.0.0.1:{broker_port}",
        "METRICS_TOKEN": METRICS_TOKEN,
        "NUM_PROXIES": "1",
        "VAR_DIR": str(work / "var"),
        "PROMETHEUS_MULTIPROC_DIR": str(work / "metrics"),
        "WEB_PORT": str(PORTS["web"]),
        "LIVE_PORT": str(PORTS["live"]),
        "LOG_LEVEL": "WARNING",
        # The mixed-load check signs in far more often than one address may in production.
        "THROTTLE_LOGIN_IP": "100000/min",
        "THROTTLE_LOGIN_ACCOUNT": "100000/min",
    }


def prepare_database(args: argparse.Namespace) -> None:
    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{args.database}"')
    subprocess.run(
        ["redis-cli", "-n", str(args.redis_db), "flushdb"], check=True, stdout=subprocess.DEVNULL
    )
    for command in (
        ["migrate", "--no-input", "-v", "0"],
        ["collectstatic", "--no-input", "-v", "0"],
    ):
        subprocess.run([str(BIN / "heartmon"), *command], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("check", choices=["stack", "broker"])
    parser.add_argument("--work", type=Path, required=True, help="a folder for files and logs")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="heartmon_stack")
    parser.add_argument("--redis-db", type=int, default=7)
    args = parser.parse_args()
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    broker_port = PORTS["stack_broker" if args.check == "stack" else "restart_broker"]
    env = environment(args, broker_port)
    os.environ.update(env)
    prepare_database(args)

    import django

    django.setup()
    if args.check == "stack":
        from stack_checks import run

        return run(work=args.work, env=env, ports=PORTS, ingest_password=INGEST_PASSWORD)
    from broker_restart import run

    return run(work=args.work, env=env, port=broker_port, ingest_password=INGEST_PASSWORD)


if __name__ == "__main__":
    sys.exit(main())
