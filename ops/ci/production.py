"""CI checks of the production stack the README documents, run by .ci/run:

  production.py stack   nginx (ops/nginx) in front of `heartmon serve` (the Procfile: granian
                        WSGI workers, a Celery worker, mqtt-ingest, the live ASGI process) with
                        DEBUG=0, PostgreSQL, Redis and a Mosquitto from ops/mosquitto; slow and
                        idle clients, mixed load with sign-ins, then the smoke test and the
                        /metrics scrape.
  production.py broker  a Mosquitto from ops/mosquitto restarted during MQTT ingestion: nothing
                        acknowledged is lost, nothing stored twice, a device reads only its own
                        errors topic.
  production.py database  a private PostgreSQL cluster (initdb, its own port) restarted, then
                        stopped for seconds, while devices post batches to `heartmon serve web`:
                        503 service-unavailable meanwhile, nothing acknowledged lost or doubled.
  production.py redis   a private redis-server (cache and Celery broker) stopped during sign-ins,
                        refreshes, password resets and device batches: no 500, sign-in and
                        refresh fail open, mail endpoints 503, everything works once it is back.

Each check drops and creates its own PostgreSQL database, uses its own Redis database and
loopback ports, and stops every process (and removes every private cluster) it started. Exits 1
when a requirement fails.
"""

import argparse
import os
import secrets
import socket
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))

from private_services import private_postgres, private_redis
from services import BIN, INGEST_USER

PORTS = {
    "proxy": 18000,
    "web": 18001,
    "live": 18002,
    "stack_broker": 18832,
    "restart_broker": 18830,
    "private_postgres": 15433,
    "private_redis": 16380,
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
        "REDIS_URL": args.redis_url,
        "CELERY_BROKER_URL": args.redis_url,
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
        "THROTTLE_TOKEN_REFRESH_IP": "100000/min",
        "THROTTLE_ANONYMOUS_MAIL": "100000/min",
        "THROTTLE_MAIL_ADDRESS": "100000/min",
    }


def prepare_database(args: argparse.Namespace) -> None:
    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{args.database}"')
    subprocess.run(
        ["redis-cli", "-u", args.redis_url, "flushdb"], check=True, stdout=subprocess.DEVNULL
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
    parser.add_argument("check", choices=["stack", "broker", "database", "redis"])
    parser.add_argument("--work", type=Path, required=True, help="a folder for files and logs")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", default="heartmon_stack")
    parser.add_argument("--redis-db", type=int, default=7)
    args = parser.parse_args()
    args.work = args.work.resolve()
    args.work.mkdir(parents=True, exist_ok=True)
    args.redis_url = f"redis://127.0.0.1:6379/{args.redis_db}"
    with ExitStack() as private:
        if args.check == "database":
            cluster = private.enter_context(private_postgres(PORTS["private_postgres"]))
            args.postgres, args.cluster = cluster.url, cluster
        if args.check == "redis":
            args.redis = private.enter_context(private_redis(PORTS["private_redis"]))
            args.redis_url = args.redis.url
        return run_check(args)


def port_is_taken(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def run_check(args: argparse.Namespace) -> int:
    if port_is_taken(PORTS["web"]):
        # A server left from an earlier run would answer for ours, from another database.
        print(f"Something already listens on 127.0.0.1:{PORTS['web']}: stop it first")
        return 1
    broker_port = PORTS["stack_broker" if args.check == "stack" else "restart_broker"]
    env = environment(args, broker_port)
    os.environ.update(env)
    prepare_database(args)

    import django

    django.setup()
    if args.check == "stack":
        from stack_checks import run

        return run(work=args.work, env=env, ports=PORTS, ingest_password=INGEST_PASSWORD)
    if args.check == "database":
        from database_restart import run as run_database

        return run_database(work=args.work, env=env, cluster=args.cluster)
    if args.check == "redis":
        from redis_outage import run as run_redis

        return run_redis(work=args.work, env=env, redis=args.redis)
    from broker_restart import run

    return run(work=args.work, env=env, port=broker_port, ingest_password=INGEST_PASSWORD)


if __name__ == "__main__":
    sys.exit(main())
