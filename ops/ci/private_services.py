"""A private PostgreSQL cluster and a private Redis for the fault checks, which stop and restart
them: each in a temporary folder, on its own loopback port, removed with everything in it when
the check ends, even when it fails. The machine's shared PostgreSQL and Redis are never touched."""

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from services import stop, wait_for_port


class Cluster:
    """A PostgreSQL cluster made by `initdb`, run by `pg_ctl` (as the user postgres when we are
    root: PostgreSQL refuses to run as root)."""

    def __init__(self, folder: Path, *, port: int) -> None:
        self.folder, self.port = folder, port
        self.data = folder / "data"
        self.url = f"postgres://postgres@127.0.0.1:{port}"

    def _run(self, *command: str) -> None:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*as_postgres, *command], check=True, stdout=subprocess.DEVNULL)

    def create(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync")

    def pg_ctl(self, action: str, *options: str) -> None:
        server_options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
        )
        self._run(
            "pg_ctl", action, "-D", str(self.data), "-l", str(self.folder / "server.log"),
            "-o", server_options, "-w", *options,
        )  # fmt: skip


@contextmanager
def private_postgres(port: int) -> Iterator[Cluster]:
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="heartmon-pg-")), port=port)
    try:
        cluster.create()
        cluster.pg_ctl("start")
        yield cluster
    finally:
        if (cluster.data / "postmaster.pid").exists():
            cluster.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(cluster.folder, ignore_errors=True)


class Redis:
    """A redis-server keeping nothing on disk, started and stopped by its process id."""

    def __init__(self, folder: Path, *, port: int) -> None:
        self.folder, self.port = folder, port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = open(self.folder / "redis.log", "ab")  # noqa: SIM115 (the process holds it)
        self.process = subprocess.Popen(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port), "--save", "",
             "--appendonly", "no", "--dir", str(self.folder)],
            stdout=log, stderr=log,
        )  # fmt: skip
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


@contextmanager
def private_redis(port: int) -> Iterator[Redis]:
    redis = Redis(Path(tempfile.mkdtemp(prefix="heartmon-redis-")), port=port)
    try:
        redis.start()
        yield redis
    finally:
        redis.stop()
        shutil.rmtree(redis.folder, ignore_errors=True)
