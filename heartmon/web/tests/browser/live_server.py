"""The live server of the browser tests that watch the live stream: uvicorn serves the ASGI
application of `heartmon.asgi` (HTTP and the WebSockets) from a thread of the test process, so
that the test's settings apply to it and the in-memory channel layer it publishes on is the one
its consumers read.

Its threads open database connections of their own, as any server's do. On PostgreSQL they open
the test database; the in-memory SQLite test database cannot serve them (connections to it lock
each other's tables and do not wait), so for the test's length its data lives in a file that every
thread, the test's own included, opens instead (WAL, with the busy timeout of the settings)."""

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import uvicorn
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

START_SECONDS = 30
# Open sockets are closed by then (the pages are closed before the server stops).
STOP_SECONDS = 10


@contextmanager
def serving(application: Any, host: str) -> Iterator[str]:
    """The address of uvicorn serving `application` from a thread until the block ends."""
    listening = socket.create_server((host, 0))
    config = uvicorn.Config(
        application,
        lifespan="off",
        loop="asyncio",
        log_level="warning",
        timeout_graceful_shutdown=STOP_SECONDS // 2,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listening]}, name="live-asgi-server", daemon=True
    )
    thread.start()
    started = time.monotonic()
    while not server.started:
        if not thread.is_alive() or time.monotonic() - started > START_SECONDS:
            raise RuntimeError("The live ASGI server did not start; its log says why.")
        time.sleep(0.01)
    try:
        yield f"http://{host}:{listening.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(STOP_SECONDS)
        listening.close()
    if thread.is_alive():
        raise RuntimeError(f"The live ASGI server did not stop within {STOP_SECONDS} s.")


@contextmanager
def database_open_to_threads(folder: Path) -> Iterator[None]:
    """A test database that the server's threads can open: the one there is, unless it is the
    in-memory SQLite one; then its tables and rows are copied to a file in `folder`, which every
    new connection opens until the block ends, when the in-memory database is back (without
    what the block wrote; the test's teardown empties it as usual)."""
    memory = connections[DEFAULT_DB_ALIAS]
    if not isinstance(memory, SQLiteWrapper) or not memory.is_in_memory_db():
        yield
        return
    memory.ensure_connection()
    path = folder / "test.sqlite3"
    with closing(sqlite3.connect(path)) as copy:
        memory.connection.backup(copy)
    in_memory_name = memory.settings_dict["NAME"]
    memory.settings_dict["NAME"] = str(path)  # the settings every new connection is made from
    connections[DEFAULT_DB_ALIAS] = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        yield
    finally:
        connections[DEFAULT_DB_ALIAS].close()
        memory.settings_dict["NAME"] = in_memory_name
        connections[DEFAULT_DB_ALIAS] = memory
