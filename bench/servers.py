"""The two ways heartmon is served, started as their own processes on the bench database: the
production REST server (WSGI workers under granian, DEBUG off, persistent database connections)
and the single-process `make demo` server (uvicorn, Django under ASGI, DEBUG on)."""

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

BIN = Path(sys.executable).parent
WORKERS = 2  # one per core on the reference machine
# Requests a worker takes on at once, run in one thread (granian's default, 512, runs up to 256
# threads a worker, each keeping a database connection, contending for the worker's interpreter).
# Measured on the reference machine: 1.1 times the default's ingestion rate with 1 client, 1.0 to
# 1.3 times with 4.
BACKPRESSURE = 2
START_SECONDS = 60


@dataclass(frozen=True)
class Server:
    name: str
    port: int
    command: list[str]
    environment: dict[str, str]


def production(redis_url: str = "") -> Server:
    """The REST workers; with `redis_url`, publishing live messages there."""
    port = free_port()
    return Server(
        name=f"production (granian WSGI, {WORKERS} workers, backpressure {BACKPRESSURE})",
        port=port,
        command=[
            str(BIN / "granian"),
            "--interface=wsgi",
            "--host=127.0.0.1",
            f"--port={port}",
            f"--workers={WORKERS}",
            f"--backpressure={BACKPRESSURE}",
            "--no-ws",
            "heartmon.wsgi:application",
        ],
        environment={
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            # WSGI workers keep their connection; under ASGI the README says to keep 0.
            "DATABASE_URL": f"{os.environ['DATABASE_URL']}?conn_max_age=600",
            "LOG_LEVEL": "WARNING",
            **({"REDIS_URL": redis_url} if redis_url else {}),
        },
    )


def demo() -> Server:
    """What `make demo` runs, on the bench database."""
    port = free_port()
    return Server(
        name="make demo (uvicorn ASGI, 1 process)",
        port=port,
        command=[
            str(BIN / "uvicorn"),
            "heartmon.asgi:application",
            "--host=127.0.0.1",
            f"--port={port}",
            "--lifespan=off",
        ],
        environment={"DEBUG": "1"},
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def live(redis_url: str) -> Server:
    """The production live process: Django under ASGI for /ws/ only, Redis as its channel layer
    (the REST workers publish there)."""
    port = free_port()
    return Server(
        name="live (uvicorn ASGI, 1 process)",
        port=port,
        command=[
            str(BIN / "uvicorn"),
            "heartmon.asgi:application",
            "--host=127.0.0.1",
            f"--port={port}",
            "--lifespan=off",
            "--no-access-log",
        ],
        environment={
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "REDIS_URL": redis_url,
            "LOG_LEVEL": "WARNING",
        },
    )


@contextlib.contextmanager
def serving(server: Server) -> Iterator[str]:
    """The server running (its base URL) until the block ends."""
    with running(server):
        yield f"http://127.0.0.1:{server.port}"


@contextlib.contextmanager
def running(server: Server) -> Iterator[subprocess.Popen[bytes]]:
    """The server's process, answering, until the block ends."""
    environment = {**os.environ, **server.environment}
    # Output to a file: a pipe nobody reads would fill up and stall the server.
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(  # noqa: S603 (our own command line)
            server.command, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
        try:
            _wait_until_ready(process, server.port, log)
            yield process
        finally:
            process.terminate()
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_until_ready(process: subprocess.Popen[bytes], port: int, log: IO[bytes]) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            output = log.read().decode(errors="replace")
            raise RuntimeError(f"the server exited at start:\n{output[-2000:]}")
        with contextlib.suppress(OSError, http.client.HTTPException):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer /healthz within {START_SECONDS} s")
