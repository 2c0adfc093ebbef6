"""Figure 10, the central station in a browser: a nurse watches a ward of 16 beds in headless
Chromium while the 16 patients' simulated monitors (`heartmon.simulator`, faults on, as in
`make demo`) send their vitals every second to the live process (Django under ASGI, Redis as its
channel layer), which also serves the pages. Two windows of the same length on one page:

- the baseline, vitals only (the sweeps idle, saying "ECG: no stream");
- the 16 monitors also streaming ECG over the device socket (MIT-BIH record 100 at 360 Hz, in
  frames of 250 ms), once every sweep has drawn its trace.

Each window reads, through the Chrome DevTools Protocol, the page's main-thread script and task
time per second and its JS heap (Performance.getMetrics: wall-clock times, so they grow when other
work takes the cores) and the CPU time of all Chromium's processes (SystemInfo.getProcessInfo);
and, from a requestAnimationFrame wrapper injected before the page's own scripts, the animation
frames run per second and those that drew a sweep's trace."""

import contextlib
import os
import secrets
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playwright.sync_api import CDPSession, Page, ViewportSize, sync_playwright

from bench import servers
from bench.database import organization_with_admin

Row = tuple[str, str, str]
BEDS = 16
SCRIPT_TARGET_MS = 250  # a quarter of one core
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
VIEWPORT: ViewportSize = {"width": 1920, "height": 1080}  # a central station's screen
READY_SECONDS = 90
SWEEP_INK = (0x4A, 0xDE, 0x80)  # sweep.js's trace colour
INKED_PIXELS = 200  # a trace across a tile, not a stray pixel

# Counts animation frames (ticks of the page's requestAnimationFrame callbacks) and those in which
# a sweep canvas was stroked (sweep.js strokes its trace once a draw; its idle text is filled).
FRAME_COUNTER = """
(() => {
  const counts = { frames: 0, sweepFrames: 0 };
  window.heartmonBench = counts;
  let tick = -1;
  let sweepTick = -1;
  const stroke = CanvasRenderingContext2D.prototype.stroke;
  CanvasRenderingContext2D.prototype.stroke = function (...path) {
    if (tick !== sweepTick && this.canvas.classList.contains("sweep")) {
      sweepTick = tick;
      counts.sweepFrames += 1;
    }
    return stroke.apply(this, path);
  };
  const request = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) =>
    request((now) => {
      if (now !== tick) counts.frames += 1;
      tick = now;
      callback(now);
    });
})();
"""

# How many pixels of each sweep canvas are near the trace's colour.
SWEEP_INK_COUNT = """([r, g, b]) =>
  [...document.querySelectorAll(".tile[data-patient] canvas.sweep")].map((canvas) => {
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let near = 0;
    for (let i = 0; i < data.length; i += 4)
      if (Math.abs(data[i] - r) + Math.abs(data[i + 1] - g) + Math.abs(data[i + 2] - b) <= 60)
        near += 1;
    return near;
  })"""


@dataclass(frozen=True)
class Window:
    """What the page did over one measured window."""

    seconds: float
    script_ms: float  # main-thread JavaScript, per second
    task_ms: float  # main-thread tasks of any kind (script, style, layout, paint), per second
    chromium_ms: float  # CPU time of every Chromium process, per second
    frames: float  # animation frames run, per second
    sweep_frames: float  # animation frames that drew a sweep, per second
    heap_before: float  # JSHeapUsedSize, bytes
    heap_after: float


def run(*, seconds: float, redis_url: str) -> list[Row]:
    from django.core.management import call_command

    from heartmon.accounts.testing import make_user
    from heartmon.core.roles import Role
    from heartmon.simulator.fleet import prepare_fleet

    if not CHROMIUM.exists():
        raise RuntimeError(f"figure 10 needs Chromium at {CHROMIUM} (or set CHROMIUM)")
    call_command("collectstatic", interactive=False, verbosity=0)  # served by WhiteNoise
    organization, admin = organization_with_admin("Bench Web")
    password = secrets.token_urlsafe(16)
    nurse = make_user(organization, "nurse@bench-web.example", Role.NURSE, password=password)
    fleet = prepare_fleet(
        count=BEDS,
        organization=organization,
        actor=admin.as_actor(),
        seed=1,
        record_fault=lambda truth: None,  # monitors with faults, as in `make demo`
    )
    server = servers.live(redis_url)
    with servers.serving(server) as base, sending_vitals(base, fleet.devices):
        baseline, streaming = watch_the_ward(base, nurse.email, password, fleet.devices, seconds)
    return rows(baseline, streaming)


def watch_the_ward(
    base: str, email: str, password: str, devices: Sequence[Any], seconds: float
) -> tuple[Window, Window]:
    from heartmon.simulator import ecg

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        context = browser.new_context(base_url=base, viewport=VIEWPORT)
        context.add_init_script(FRAME_COUNTER)
        page = context.new_page()
        sign_in(page, email, password)
        page.locator(".tile .readout.heart_rate:not(.nodata)").nth(BEDS - 1).wait_for(
            timeout=READY_SECONDS * 1000
        )
        cdp = context.new_cdp_session(page), browser.new_browser_cdp_session()
        cdp[0].send("Performance.enable")
        baseline = measure(page, cdp, seconds)
        with ecg.EcgStreamer(devices, ecg.SocketEcgSender(base)):
            wait_for_sweeps(page)
            streaming = measure(page, cdp, seconds)
        browser.close()
    return baseline, streaming


def sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/signin")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/signin" not in url)


def wait_for_sweeps(page: Page) -> None:
    deadline = time.monotonic() + READY_SECONDS
    inked: list[int] = []
    while time.monotonic() < deadline:
        inked = page.evaluate(SWEEP_INK_COUNT, SWEEP_INK)
        if len(inked) == BEDS and min(inked) >= INKED_PIXELS:
            return
        page.wait_for_timeout(500)
    raise RuntimeError(f"not every sweep drew within {READY_SECONDS} s: {inked} pixels of trace")


def measure(page: Page, cdp: tuple[CDPSession, CDPSession], seconds: float) -> Window:
    """The window's figures; `cdp`: the page's session and the browser's."""
    before, counted = metrics(cdp), page.evaluate("({...window.heartmonBench})")
    page.wait_for_timeout(seconds * 1000)
    after, ended = metrics(cdp), page.evaluate("({...window.heartmonBench})")
    elapsed = after["Timestamp"] - before["Timestamp"]

    def per_second(name: str) -> float:
        return (after[name] - before[name]) / elapsed

    return Window(
        seconds=elapsed,
        script_ms=per_second("ScriptDuration") * 1000,
        task_ms=per_second("TaskDuration") * 1000,
        chromium_ms=per_second("ChromiumCPU") * 1000,
        frames=(ended["frames"] - counted["frames"]) / elapsed,
        sweep_frames=(ended["sweepFrames"] - counted["sweepFrames"]) / elapsed,
        heap_before=before["JSHeapUsedSize"],
        heap_after=after["JSHeapUsedSize"],
    )


def metrics(cdp: tuple[CDPSession, CDPSession]) -> dict[str, float]:
    page, browser = cdp
    found = {
        metric["name"]: metric["value"] for metric in page.send("Performance.getMetrics")["metrics"]
    }
    processes = browser.send("SystemInfo.getProcessInfo")["processInfo"]
    return {**found, "ChromiumCPU": sum(process["cpuTime"] for process in processes)}


@contextlib.contextmanager
def sending_vitals(base: str, devices: Sequence[Any]) -> Iterator[None]:
    """Every device sends what it measured each second, as `heartmon simulate` does."""
    from heartmon.simulator.senders import HttpSender

    sender = HttpSender(base, wait_seconds=10)
    stopping = threading.Event()

    def beat() -> None:
        while not stopping.wait(1 - time.time() % 1):
            now = datetime.now(UTC)
            for device in devices:
                if readings := device.measure(now=now, rate_hz=1):  # none while a probe is off
                    sender.send(device, readings)

    thread = threading.Thread(target=beat, daemon=True, name="vitals")
    thread.start()
    try:
        yield
    finally:
        stopped = not thread.is_alive()  # the server refused the simulator (FatalRefusal)
        stopping.set()
        thread.join(10)
        sender.close()
    if stopped or sender.tally.refused or not sender.tally.accepted:
        raise RuntimeError(f"the vitals were refused: {sender.tally}")


def rows(baseline: Window, streaming: Window) -> list[Row]:
    title = f"10. Web, central station, {BEDS} beds, {streaming.seconds:.0f} s"
    megabytes = f"{streaming.heap_before / 2**20:.1f} -> {streaming.heap_after / 2**20:.1f} MB"
    return [
        (
            f"{title}, vitals only: main-thread script / task time",
            f"{baseline.script_ms:.1f} / {baseline.task_ms:.1f} ms/s",
            "baseline",
        ),
        (
            f"{title}, {BEDS} live ECG sweeps: main-thread script / task time",
            f"{streaming.script_ms:.1f} / {streaming.task_ms:.1f} ms/s",
            f"x{streaming.script_ms / baseline.script_ms:.1f} / "
            f"x{streaming.task_ms / baseline.task_ms:.1f}; target script < {SCRIPT_TARGET_MS}",
        ),
        (
            f"{title}, {BEDS} live ECG sweeps: animation frames / frames drawing a sweep",
            f"{streaming.frames:.1f} / {streaming.sweep_frames:.1f} per s",
            f"vitals only: {baseline.frames:.1f} / {baseline.sweep_frames:.1f}",
        ),
        (
            f"{title}, {BEDS} live ECG sweeps: CPU time of every Chromium process",
            f"{streaming.chromium_ms:.0f} ms/s",
            f"vitals only: {baseline.chromium_ms:.0f}",
        ),
        (f"{title}, {BEDS} live ECG sweeps: JS heap, start -> end", megabytes, ""),
    ]
