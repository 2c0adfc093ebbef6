"""Figure 9, live monitoring in the production topology: granian WSGI workers take the readings,
one uvicorn ASGI process serves /ws/, Redis carries messages between them.

9a. D devices each post one heart rate a second, S clients watch the patients (each a ward
    screen of D*W/S patients, W watchers per patient): latency from the ingest's 200 to the
    `vitals` message at a watcher, p50 and p99 (negative when the message beats the answer: it is
    published on commit, before the answer is written).
9c. Meanwhile one device in ALARM_EVERY posts a heart rate above the extreme limit (the default
    rules raise it after 2 s, in the request of the batch that completes the delay); one more
    client watches the organization's `alarms` stream: latency from that batch's sending and from
    its 200 (the alarm is stored before it) to the `alarm` message, p50 and p99.
9b. 16 devices stream 3 leads at 250 Hz over the device socket, 62-sample frames every 248 ms,
    each patient watched by 4 clients: frames delivered / expected, latency from the device's
    send to the watcher, p99; the live process' CPU and resident memory per connection.

Devices, watchers and the clock all live in this process' one event loop, so its own scheduling
delays count in the latencies (an upper bound)."""

import asyncio
import json
import os
import time
import urllib.request
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

import numpy as np
import orjson
from websockets.asyncio.client import ClientConnection, connect

from bench import servers
from bench.database import Monitored, bearer_token, monitored_devices, organization_with_admin

Row = tuple[str, str, str]
ECG_DEVICES = 16
ECG_WATCHERS = 4
ECG_LEADS = ("I", "II", "III")
ECG_RATE = 250.0
ECG_FRAME = 62  # samples: 248 ms, the server's 250 ms frames at 250 Hz
ALARM_EVERY = 10
NORMAL, TACHYCARDIA = 70, 170  # bpm; the default extreme high is 150


def run(*, devices: int, subscribers: int, seconds: float, redis_url: str) -> list[Row]:
    organization, admin = organization_with_admin("Bench Live")
    cast = monitored_devices(organization, admin, devices, "LIVE")
    ecg_cast = monitored_devices(organization, admin, ECG_DEVICES, "LECG")
    for monitored in ecg_cast:
        monitored.device.lead_count = 3
        monitored.device.save(update_fields=["lead_count"])
    token = bearer_token(admin)
    live_server = servers.live(redis_url)
    with (
        servers.serving(servers.production(redis_url)) as rest,
        servers.running(live_server) as live_process,
    ):
        live = f"http://127.0.0.1:{live_server.port}"
        vitals = asyncio.run(vitals_latency(rest, live, token, cast, subscribers, seconds))
        ecg = asyncio.run(ecg_delivery(rest, live, token, ecg_cast, live_process.pid, seconds))
    return vitals + ecg


async def ticket(rest: str, token: str) -> str:
    def post() -> str:
        request = urllib.request.Request(  # noqa: S310 (http, our own server)
            f"{rest}/api/v1/live/ticket/",
            method="POST",
            headers={"Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(request) as response:  # noqa: S310 (our own server)
            return str(json.load(response)["ticket"])

    return await asyncio.to_thread(post)


async def watcher(live: str, rest: str, token: str, streams: Sequence[str]) -> ClientConnection:
    socket = await connect(f"ws://{urlsplit(live).netloc}/ws/v1/live/", max_queue=None)
    await socket.send(orjson.dumps({"type": "auth", "ticket": await ticket(rest, token)}).decode())
    welcome = orjson.loads(await socket.recv())
    if welcome["type"] != "welcome":
        raise RuntimeError(f"a watcher was refused: {welcome}")
    for stream in streams:
        await socket.send(orjson.dumps({"type": "subscribe", "stream": stream}).decode())
        await socket.recv()
    return socket


async def post(base: str, path: str, body: bytes, headers: dict[str, str]) -> int:
    """One HTTP/1.1 POST on a fresh connection, closed after the answer: what nginx does in front
    of the REST workers (ops/nginx: no upstream keep-alive). Keep-alive clients straight at
    granian would each hold one of its few request slots while idle, and the rest would queue."""
    netloc = urlsplit(base).netloc
    host, port = netloc.split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    lines = [f"POST {path} HTTP/1.1", f"Host: {netloc}", f"Content-Length: {len(body)}"]
    lines += [f"{name}: {value}" for name, value in {**headers, "Connection": "close"}.items()]
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
    status = int((await reader.readline()).split()[1])
    await reader.read()
    writer.close()
    return status


async def vitals_latency(
    rest: str, live: str, token: str, cast: list[Monitored], subscribers: int, seconds: float
) -> list[Row]:
    await warm_up(rest, cast)
    answered: dict[tuple[str, int], float] = {}
    arrived: list[tuple[str, int, float]] = []
    screens = [cast[index::subscribers] for index in range(subscribers)]
    sockets = [
        await watcher(live, rest, token, [f"patient:{m.patient.pk}" for m in screen])
        for screen in screens
        if screen
    ]
    readers = [asyncio.create_task(read_vitals(socket, arrived)) for socket in sockets]
    alarm_feed = await watcher(live, rest, token, ["alarms"])
    raised: list[tuple[str, int, float]] = []
    readers.append(asyncio.create_task(read_alarms(alarm_feed, raised)))
    crossing = frozenset(str(monitored.patient.pk) for monitored in cast[::ALARM_EVERY])
    sent_at: dict[tuple[str, int], float] = {}
    clients = min(32, len(cast))
    began = time.time() + 1
    senders = [  # device i of D sends at i/D past each second
        send_readings(
            rest,
            cast[index::clients],
            answered,
            began + index / len(cast),
            seconds,
            crossing=crossing,
            sent_at=sent_at,
        )
        for index in range(clients)
    ]
    sent = sum(await asyncio.gather(*senders))
    await asyncio.sleep(1)
    for task in readers:
        task.cancel()
    for socket in [*sockets, alarm_feed]:
        await socket.close()
    latencies = [
        at - answered[(patient, sent_at)]
        for patient, sent_at, at in arrived
        if (patient, sent_at) in answered
    ]
    vitals = vitals_rows(latencies, sent, len(cast), len(sockets), seconds, len(arrived))
    return vitals + alarm_rows(raised, sent_at, answered, len(crossing))


async def warm_up(rest: str, cast: list[Monitored]) -> None:
    """Every worker's first request imports the API: not in the figures."""
    warmed: dict[tuple[str, int], float] = {}
    await asyncio.gather(
        *(send_readings(rest, cast[index::8], warmed, time.time(), 1) for index in range(8))
    )


async def read_alarms(socket: ClientConnection, raised: list[tuple[str, int, float]]) -> None:
    async for text in socket:
        message = orjson.loads(text)
        if message["type"] == "ping":
            await socket.send('{"type": "pong"}')
        elif message["type"] == "alarm" and message["event"] == "raised":
            alarm, now = message["alarm"], time.time()
            at = datetime.fromisoformat(alarm["raised_at"])
            raised.append((alarm["patient"], round(at.timestamp() * 1000), now))


def alarm_rows(
    raised: list[tuple[str, int, float]],
    sent_at: dict[tuple[str, int], float],
    answered: dict[tuple[str, int], float],
    expected: int,
) -> list[Row]:
    """Latencies from the raising batch's sending (the request's own time included: a hundred
    alarms raised in the same second queue for the workers) and from its 200, the issue's
    "after the alarm is stored" (it is stored before the answer; the message may beat it)."""
    title = f"9c. alarms, {expected} devices crossing the extreme heart-rate limit"
    rows = [(f"{title}: raised messages received / expected", f"{len(raised)} / {expected}", "all")]
    for since, times, target in (("sending", sent_at, ""), ("200", answered, "p99 < 250 ms")):
        latencies = [at - times[(patient, when)] for patient, when, at in raised]
        p50, p99 = np.percentile(np.asarray(latencies) * 1000, [50, 99]) if latencies else (0, 0)
        rows.append(
            (
                f"{title}: latency from the batch's {since}, p50 / p99",
                f"{p50:.1f} / {p99:.1f} ms",
                target,
            )
        )
    return rows


async def read_vitals(socket: ClientConnection, arrived: list[tuple[str, int, float]]) -> None:
    async for text in socket:
        message = orjson.loads(text)
        if message["type"] == "ping":
            await socket.send('{"type": "pong"}')
        elif message["type"] == "vitals":
            now = time.time()
            for value in message["values"].values():
                at = datetime.fromisoformat(value["at"])
                arrived.append((message["patient"], round(at.timestamp() * 1000), now))


async def send_readings(
    rest: str,
    devices: list[Monitored],
    answered: dict[tuple[str, int], float],
    began: float,
    seconds: float,
    *,
    crossing: frozenset[str] = frozenset(),
    sent_at: dict[tuple[str, int], float] | None = None,
) -> int:
    """`crossing` patients' devices post a tachycardia; the time each of their batches was sent
    goes into `sent_at`."""
    sent = 0
    for second in range(int(seconds)):
        for index, monitored in enumerate(devices):
            due = began + second + index / len(devices)
            await asyncio.sleep(max(0.0, due - time.time()))
            at = round(time.time() * 1000)
            patient = str(monitored.patient.pk)
            value = TACHYCARDIA if patient in crossing else NORMAL
            body = orjson.dumps([{"metric": "heart_rate", "value": value, "recorded_at": at}])
            if sent_at is not None and patient in crossing:
                sent_at[(patient, at)] = time.time()
            headers = {
                "Content-Type": "application/json",
                "Authorization": f"Device {monitored.key}",
            }
            status = await post(rest, "/api/v1/readings/", body, headers)
            if status == 200:
                answered[(patient, at)] = time.time()
                sent += 1
    return sent


def vitals_rows(
    latencies: list[float], sent: int, devices: int, watchers: int, seconds: float, arrived: int
) -> list[Row]:
    values = np.asarray(latencies) * 1000
    p50, p99 = np.percentile(values, [50, 99]) if len(values) else (float("nan"),) * 2
    title = f"9a. vitals, {devices} devices x 1 Hz, {watchers} watchers, {seconds:g} s"
    return [
        (f"{title}: readings answered / s", f"{sent / seconds:,.0f}", f"target {devices}"),
        (f"{title}: messages received (with a 200)", f"{arrived:,} ({len(values):,})", ""),
        (f"{title}: latency p50 / p99", f"{p50:.1f} / {p99:.1f} ms", "p99 < 100 ms"),
    ]


async def ecg_delivery(
    rest: str, live: str, token: str, cast: list[Monitored], pid: int, seconds: float
) -> list[Row]:
    before = process_usage(pid)
    watchers = [
        await watcher(live, rest, token, [f"patient:{monitored.patient.pk}"])
        for monitored in cast
        for _ in range(ECG_WATCHERS)
    ]
    sent_at: dict[tuple[str, int], float] = {}
    arrived: list[tuple[str, int, float]] = []
    readers = [asyncio.create_task(read_frames(socket, arrived)) for socket in watchers]
    devices = [
        await connect(
            f"ws://{urlsplit(live).netloc}/ws/v1/device/",
            additional_headers={"Authorization": f"Device {monitored.key}"},
        )
        for monitored in cast
    ]
    for device in devices:
        welcome = orjson.loads(await device.recv())
        if welcome["type"] != "welcome":
            raise RuntimeError(f"a device was refused: {welcome}")
    connected = process_usage(pid)
    await asyncio.gather(
        *(stream_ecg(device, m, sent_at, seconds) for device, m in zip(devices, cast, strict=True))
    )
    after = process_usage(pid)
    await asyncio.sleep(1)
    for task in readers:
        task.cancel()
    for socket in [*watchers, *devices]:
        await socket.close()
    latencies = [
        at - sent_at[(patient, first)]
        for patient, first, at in arrived
        if (patient, first) in sent_at
    ]
    return ecg_rows(
        len(sent_at) * ECG_WATCHERS,
        latencies,
        before,
        connected,
        after,
        len(devices) + len(watchers),
    )


async def read_frames(socket: ClientConnection, arrived: list[tuple[str, int, float]]) -> None:
    from heartmon.live import frames

    async for data in socket:
        if isinstance(data, bytes):
            frame = frames.decode(data)
            arrived.append((str(frame.patient_id), frame.first_sample, time.time()))
        elif orjson.loads(data)["type"] == "ping":
            await socket.send('{"type": "pong"}')


async def stream_ecg(
    socket: ClientConnection,
    monitored: Monitored,
    sent_at: dict[tuple[str, int], float],
    seconds: float,
) -> None:
    from heartmon.live import frames

    rng = np.random.default_rng(0)
    began = time.time()
    count = int(seconds * ECG_RATE / ECG_FRAME)
    for index in range(count):
        await asyncio.sleep(max(0.0, began + (index + 1) * ECG_FRAME / ECG_RATE - time.time()))
        first = index * ECG_FRAME
        samples = rng.integers(-200, 200, size=(ECG_FRAME, len(ECG_LEADS)), dtype=np.int16)
        when = datetime.fromtimestamp(began + first / ECG_RATE, tz=UTC)
        data = frames.encode(frames.Frame(None, first, when, ECG_RATE, 200.0, ECG_LEADS, samples))
        sent_at[(str(monitored.patient.pk), first)] = time.time()
        await socket.send(data)


def process_usage(pid: int) -> tuple[float, float, int]:
    """(wall clock, CPU seconds, resident bytes) of a process, from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    with open(f"/proc/{pid}/status") as status:
        rss = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmRSS"))
    return time.monotonic(), cpu, rss


def ecg_rows(
    expected: int,
    latencies: list[float],
    before: tuple[float, float, int],
    connected: tuple[float, float, int],
    after: tuple[float, float, int],
    connections: int,
) -> list[Row]:
    values = np.asarray(latencies) * 1000
    p99 = np.percentile(values, 99) if len(values) else float("nan")
    cpu = (after[1] - connected[1]) / (after[0] - connected[0])
    memory = (connected[2] - before[2]) / connections
    title = f"9b. ECG, {ECG_DEVICES} devices x 3 leads x 250 Hz, {ECG_WATCHERS} watchers each"
    return [
        (
            f"{title}: frames delivered / expected",
            f"{len(values):,} / {expected:,}",
            "target 100 %",
        ),
        (f"{title}: frame latency p99", f"{p99:.1f} ms", ""),
        (
            f"9b. live process per connection ({connections}): CPU / memory",
            f"{cpu / connections * 100:.2f} % of a core / {memory / 1024:.0f} KiB",
            "",
        ),
    ]
