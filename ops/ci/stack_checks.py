"""The production stack under slow clients and sign-ins, then the smoke test and the metrics.

nginx (ops/nginx/heartmon.conf) listens on the proxy port in front of `heartmon serve` (the
Procfile's web, worker and mqtt-ingest), all with DEBUG=0 on PostgreSQL, Redis and a Mosquitto
from ops/mosquitto."""

import socket
import statistics
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import requests
from seed import PASSWORD, World, seed
from services import INGEST_USER, running_broker, running_nginx, running_stack
from smoke import SMOKE_SERIAL, smoke_test

LIMIT_SECONDS = 1.0
IDLE, HALF_SENT = 16, 16


def hold_bad_clients(port: int) -> list[socket.socket]:
    """16 idle connections and 16 that stopped half-way: 8 in their headers, 8 in their body."""
    held = [socket.create_connection(("127.0.0.1", port)) for _ in range(IDLE)]
    for number in range(HALF_SENT):
        held.append(conn := socket.create_connection(("127.0.0.1", port)))
        if number % 2:
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: ")
        else:
            conn.sendall(
                b"POST /api/v1/readings/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n[{"
            )
    return held


def batch(offset: int) -> list[dict[str, object]]:
    """100 readings a second apart, `offset` seconds into the last day: a probe's batches never
    reach the future (refused), however many it sends (two hours ran out at 72 batches, which a
    fast machine sends in the mixed load's 10 s)."""
    start = time.time() - 86_400
    return [
        {"metric": "heart_rate", "value": 70, "recorded_at": start + offset + n} for n in range(100)
    ]


class Probe:
    """/healthz and a device batch of 100 readings, timed; a probe that fails or takes more than
    a second counts as slow."""

    def __init__(self, base: str, key: str) -> None:
        self.base, self.key = base, key
        self.times: list[float] = []
        self.failures = 0
        self.batches = 0

    def once(self, timeout: float = 5) -> None:
        for send in (self._healthz, self._batch):
            started = time.monotonic()
            try:
                ok = send(timeout)
            except requests.RequestException:
                ok = False
            self.times.append(time.monotonic() - started)
            self.failures += not ok

    def _healthz(self, timeout: float) -> bool:
        return requests.get(f"{self.base}/healthz", timeout=timeout).status_code == 200

    def _batch(self, timeout: float) -> bool:
        self.batches += 1
        response = requests.post(
            f"{self.base}/api/v1/readings/",
            json=batch(self.batches * 100),
            headers={"Authorization": f"Device {self.key}"},
            timeout=timeout,
        )
        return response.status_code == 200 and response.json()["stored"] == 100

    def summary(self) -> str:
        slow = sum(t > LIMIT_SECONDS for t in self.times)
        return (
            f"{len(self.times)} probes, median {statistics.median(self.times) * 1000:.0f} ms, "
            f"max {max(self.times) * 1000:.0f} ms, {slow} over {LIMIT_SECONDS:.0f} s, "
            f"{self.failures} failed"
        )

    @property
    def passed(self) -> bool:
        return not self.failures and max(self.times) <= LIMIT_SECONDS


def slow_clients(base: str, port: int, key: str, *, rounds: int = 20, timeout: float = 5) -> Probe:
    probe = Probe(base, key)
    held = hold_bad_clients(port)
    try:
        for _ in range(rounds):
            probe.once(timeout)
            time.sleep(0.1)
    finally:
        for conn in held:
            conn.close()
    return probe


def signing_in(base: str, email: str, stop: threading.Event, times: list[float]) -> None:
    with requests.Session() as session:
        while not stop.is_set():
            started = time.monotonic()
            response = session.post(
                f"{base}/api/v1/auth/token/",
                json={"email": email, "password": PASSWORD},
                timeout=30,
            )
            if response.status_code == 200:
                times.append(time.monotonic() - started)


def mixed_load(base: str, world: World, *, seconds: float = 10, signers: int = 4) -> Probe:
    """Four clients signing in back to back while the probe runs."""
    probe, stop, sign_ins = Probe(base, world.monitors[0].key), threading.Event(), []
    threads = [
        threading.Thread(target=signing_in, args=(base, world.admin_email, stop, sign_ins))
        for _ in range(signers)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        probe.once()
        time.sleep(0.1)
    stop.set()
    for thread in threads:
        thread.join()
    if sign_ins:
        print(
            f"  {len(sign_ins)} sign-ins in {seconds:.0f} s by {signers} clients, median "
            f"{statistics.median(sign_ins) * 1000:.0f} ms, max {max(sign_ins) * 1000:.0f} ms"
        )
    return probe


def run(*, work: Path, env: dict[str, str], ports: dict[str, int], ingest_password: str) -> int:
    world = seed("STACK", monitors=1)
    proxy = f"http://127.0.0.1:{ports['proxy']}"
    results = {}
    with ExitStack() as stack:
        broker = stack.enter_context(
            running_broker(
                work / "mosquitto",
                port=ports["stack_broker"],
                accounts={INGEST_USER: ingest_password, SMOKE_SERIAL: "smoke-device-password"},
            )
        )
        stack.enter_context(running_stack([], log=work / "serve.log", env=env))
        stack.enter_context(
            running_nginx(
                work / "nginx",
                port=ports["proxy"],
                upstream_port=ports["web"],
                live_port=ports["live"],
            )
        )
        probe = slow_clients(proxy, ports["proxy"], world.monitors[0].key)
        print(f"  through nginx, {IDLE} idle and {HALF_SENT} half-sent connections held:")
        print(f"    {probe.summary()}")
        results["slow clients"] = probe.passed
        web = f"http://127.0.0.1:{ports['web']}"
        probe = slow_clients(web, ports["web"], world.monitors[0].key, rounds=5, timeout=2)
        print("  for comparison, the same clients straight at granian (no proxy):")
        print(f"    {probe.summary()}")
        probe = mixed_load(proxy, world)
        print(f"  through nginx, while signing in:\n    {probe.summary()}")
        results["sign-ins"] = probe.passed
        results["smoke"] = smoke_test(
            proxy,
            web=f"http://127.0.0.1:{ports['web']}",
            admin_email=world.admin_email,
            broker_port=broker.port,
            metrics_token=env["METRICS_TOKEN"],
        )
    for name, passed in results.items():
        print(f"  {name}: {'PASS' if passed else 'FAIL'}")
    return 0 if all(results.values()) else 1
