"""The production processes the CI checks start and stop: a Mosquitto from the shipped
configuration, nginx with the shipped proxy configuration, and `heartmon serve`. Each runs on
its own loopback port from the caller's work folder and is stopped by its own process id."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
INGEST_USER = "heartmon-ingest"


def wait_for_port(port: int, *, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port} within {seconds} s")


def stop(process: subprocess.Popen[bytes], *, seconds: float = 20) -> None:
    """SIGTERM, and SIGKILL if it is still there after `seconds`."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Broker:
    """A Mosquitto started from ops/mosquitto/ with its port, files and accounts in `work`."""

    def __init__(self, work: Path, *, port: int, accounts: dict[str, str]) -> None:
        self.work, self.port = work, port
        (work / "data").mkdir(parents=True, exist_ok=True)
        (work / "data").chmod(0o777)  # Mosquitto started as root runs as the user mosquitto
        passwords = work / "heartmon.passwd"
        passwords.write_text("")
        for user, password in accounts.items():
            subprocess.run(["mosquitto_passwd", "-b", passwords, user, password], check=True)
        shipped = (ROOT / "ops/mosquitto/mosquitto.conf").read_text()
        self.config = work / "mosquitto.conf"
        self.config.write_text(
            shipped.replace("listener 1883", f"listener {port} 127.0.0.1")
            .replace("/etc/mosquitto/heartmon.passwd", str(passwords))
            .replace("/etc/mosquitto/heartmon.acl", str(ROOT / "ops/mosquitto/heartmon.acl"))
            .replace("/var/lib/mosquitto/", f"{work / 'data'}/")
        )
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = open(self.work / "mosquitto.log", "ab")  # noqa: SIM115 (the process holds it)
        self.process = subprocess.Popen(
            ["mosquitto", "-c", str(self.config), "-v"], stdout=log, stderr=log
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)

    def url(self, user: str, password: str) -> str:
        return f"mqtt://{user}:{password}@127.0.0.1:{self.port}"


@contextmanager
def running_broker(work: Path, *, port: int, accounts: dict[str, str]) -> Iterator[Broker]:
    broker = Broker(work, port=port, accounts=accounts)
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


@contextmanager
def running_nginx(
    work: Path, *, port: int, upstream_port: int, live_port: int = 8002
) -> Iterator[None]:
    """nginx with ops/nginx/heartmon.conf, listening on `port`, passing to `upstream_port` and
    `/ws/` to `live_port`."""
    work.mkdir(parents=True, exist_ok=True)
    shipped = (ROOT / "ops/nginx/heartmon.conf").read_text()
    site = work / "heartmon.conf"
    site.write_text(
        shipped.replace("listen 8000;", f"listen 127.0.0.1:{port};")
        .replace("server 127.0.0.1:8001;", f"server 127.0.0.1:{upstream_port};")
        .replace("server 127.0.0.1:8002;", f"server 127.0.0.1:{live_port};")
    )
    temp_paths = "".join(
        f"    {kind}_temp_path {work / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = work / "nginx.conf"
    main.write_text(
        f"daemon off;\nworker_processes 2;\npid {work / 'nginx.pid'};\n"
        f"error_log {work / 'error.log'} warn;\nevents {{ worker_connections 1024; }}\n"
        f"http {{\n    access_log {work / 'access.log'};\n{temp_paths}    include {site};\n}}\n"
    )
    process = subprocess.Popen(["nginx", "-c", str(main), "-e", str(work / "error.log")])
    try:
        wait_for_port(port)
        yield
    finally:
        stop(process)


@contextmanager
def running_stack(names: list[str], *, log: Path, env: dict[str, str]) -> Iterator[None]:
    """`heartmon serve <names>` from the repository's Procfile."""
    with open(log, "ab") as output:
        process = subprocess.Popen(
            [str(BIN / "heartmon"), "serve", *names],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, to reap what it fails to stop
        )
    try:
        wait_for_port(int(env["WEB_PORT"]), seconds=60)
        if not names and "LIVE_PORT" in env:  # the whole Procfile: its live process too
            wait_for_port(int(env["LIVE_PORT"]), seconds=60)
        yield
    finally:
        stop(process, seconds=30)
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # a server left behind would answer next run
