"""The private PostgreSQL cluster restarted during HTTP ingestion: `pg_ctl restart -m fast`, then
stopped for a few seconds and started again, while device clients post numbered batches to
`heartmon serve web`. Every batch acknowledged is stored once, the server answers 503
`service-unavailable` (never 500) while the database is away, and recovers on its own."""

import threading
import time
from pathlib import Path

from device_load import Answers, Device, count_devices
from private_services import Cluster
from seed import seed
from services import running_stack

DEVICES = 3
DOWN_SECONDS = 4


def restart_twice(cluster: Cluster, phase: list[str]) -> None:
    """Labels the answers: once the database is up again, its first answers are 200 (a worker
    still holding a connection from before must check it and reconnect, not answer 503)."""
    time.sleep(3)
    phase[0] = "restarting"
    cluster.pg_ctl("restart", "-m", "fast")
    phase[0] = "restarted"
    print("  database restarted (pg_ctl restart -m fast)")
    time.sleep(3)
    phase[0] = "down"
    cluster.pg_ctl("stop", "-m", "fast")
    print(f"  database stopped; down for {DOWN_SECONDS} s")
    time.sleep(DOWN_SECONDS)
    phase[0] = "starting"
    cluster.pg_ctl("start")
    phase[0] = "back"
    print("  database started")


def run(*, work: Path, env: dict[str, str], cluster: Cluster) -> int:
    world = seed("DB", monitors=DEVICES)
    base = f"http://127.0.0.1:{env['WEB_PORT']}"
    answers, finish, phase = Answers(), threading.Event(), ["up"]
    devices = [Device(base, monitor, answers, finish, phase) for monitor in world.monitors]
    with running_stack(["web"], log=work / "serve.log", env=env):
        for device in devices:
            device.start()
        try:
            restart_twice(cluster, phase)
            before = sum(len(device.acknowledged) for device in devices)
            time.sleep(4)
            recovered = sum(len(device.acknowledged) for device in devices) - before
        finally:
            finish.set()
            for device in devices:
                device.join(15)
    acknowledged, stored, twice, lost = count_devices(devices)
    for current in ("up", "restarting", "restarted", "down", "starting", "back", "across"):
        print(f"  {current}: " + ", ".join(answers.in_phase(current)))
    print(f"  readings acknowledged {acknowledged}, stored {stored}")
    print(f"  acknowledged but lost {lost}; stored twice {twice}")
    print(
        f"  503 service-unavailable {answers.count('503')} (other 503s {answers.unexplained_503})"
    )
    print(f"  500s {answers.count('500')}; batches acknowledged after the restart {recovered}")
    passed = (
        stored >= acknowledged > 0
        and not lost
        and not twice
        and answers.count("503") > 0
        and not answers.unexplained_503
        and not answers.count("500")
        and recovered > 0
        and answers.only("restarted: batch", ("200", "201"))
        and answers.only("back: batch", ("200", "201"))
    )
    print("  PASS" if passed else "  FAIL")
    return 0 if passed else 1
