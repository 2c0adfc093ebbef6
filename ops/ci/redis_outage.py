"""The private Redis (cache and Celery broker) stopped during a mixed load on `heartmon serve
web`: sign-ins, token refreshes, password-reset requests and device batches. Nothing answers 500;
sign-in and refresh keep working (they fail open, README "Throttling"); the mail endpoints answer
503 `service-unavailable`; every batch acknowledged is stored; once Redis is back, everything
works again."""

import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests
from device_load import Answers, Device, answer_of, count_devices
from private_services import Redis
from seed import PASSWORD, seed
from services import running_stack

DOWN_SECONDS = 6


class Caller(threading.Thread):
    """Calls `call` again and again until `finish`, noting each answer under the phase it began
    and ended in, or `across` when Redis stopped or started meanwhile."""

    def __init__(
        self,
        what: str,
        call: Callable[[requests.Session], requests.Response],
        answers: Answers,
        phase: list[str],
        finish: threading.Event,
    ) -> None:
        super().__init__(daemon=True)
        self.what, self.call, self.answers, self.phase, self.finish = (
            what,
            call,
            answers,
            phase,
            finish,
        )

    def run(self) -> None:
        with requests.Session() as session:
            while not self.finish.is_set():
                before, started = self.phase[0], time.monotonic()
                response = answer_of(lambda: self.call(session))
                self.answers.took(self.what, time.monotonic() - started)
                phase = before if self.phase[0] == before else "across"
                self.answers.note(f"{phase}: {self.what}", response)
                time.sleep(0.1)


def callers(base: str, email: str) -> dict[str, Callable[[requests.Session], requests.Response]]:
    credentials = {"email": email, "password": PASSWORD}
    refresh = [requests.post(f"{base}/api/v1/auth/token/", json=credentials, timeout=30).json()]

    def sign_in(session: requests.Session) -> requests.Response:
        return session.post(f"{base}/api/v1/auth/token/", json=credentials, timeout=30)

    def renew(session: requests.Session) -> requests.Response:
        response = session.post(
            f"{base}/api/v1/auth/token/refresh/",
            json={"refresh": refresh[0]["refresh"]},
            timeout=30,
        )
        if response.status_code == 200:
            refresh[0] = response.json()
        return response

    def reset(session: requests.Session) -> requests.Response:
        return session.post(
            f"{base}/api/v1/auth/password/reset/", json={"email": email}, timeout=30
        )

    return {"sign-in": sign_in, "refresh": renew, "password reset": reset}


def outage(redis: Redis, phase: list[str], answers: Answers) -> None:
    time.sleep(3)
    redis.stop()
    phase[0] = "down"
    print(f"  Redis stopped; down for {DOWN_SECONDS} s")
    time.sleep(DOWN_SECONDS)
    phase[0] = "restarting"
    redis.start()
    time.sleep(1)  # the clients' requests under way when it came back
    phase[0] = "back"
    print("  Redis started")
    time.sleep(3)
    # A password reset begun during the outage can stall until Redis is back (9-23 s seen, cause
    # not found yet): wait, within bounds, for one begun after Redis came back to answer.
    deadline = time.monotonic() + 25
    while time.monotonic() < deadline and not answers.seen("back: password reset"):
        time.sleep(0.2)


def passed(answers: Answers, lost: int, acknowledged: int) -> bool:
    ok, only = ("200", "201", "202", "204"), answers.only
    return (
        not answers.count("500")
        and not answers.unexplained_503
        and all(
            only(f"{phase}: {what}", ok)
            for phase in ("up", "down", "back")
            for what in ("sign-in", "refresh")
        )
        and only("down: password reset", ("503",))
        and only("back: password reset", ok)
        and only("back: batch", ok)
        and acknowledged > 0
        and not lost
    )


def run(*, work: Path, env: dict[str, str], redis: Redis) -> int:
    world = seed("REDIS", monitors=2)
    base = f"http://127.0.0.1:{env['WEB_PORT']}"
    answers, finish, phase = Answers(), threading.Event(), ["up"]
    with running_stack(["web"], log=work / "serve.log", env=env):
        threads: list[threading.Thread] = [
            Caller(what, call, answers, phase, finish)
            for what, call in callers(base, world.admin_email).items()
        ]
        devices = [Device(base, monitor, answers, finish, phase) for monitor in world.monitors]
        for thread in [*threads, *devices]:
            thread.start()
        try:
            outage(redis, phase, answers)
        finally:
            finish.set()
            for thread in [*threads, *devices]:
                thread.join(35)
    acknowledged, stored, twice, lost = count_devices(devices)
    for current in ("up", "down", "restarting", "back", "across"):
        print(f"  {current}: " + ", ".join(answers.in_phase(current)))
    print("  longest answer: " + ", ".join(f"{k} {v:.1f} s" for k, v in answers.longest.items()))
    print(f"  readings acknowledged {acknowledged}, stored {stored}")
    print(f"  acknowledged but lost {lost}; stored twice {twice}; 500s {answers.count('500')}")
    result = passed(answers, lost, acknowledged) and not twice
    print("  PASS" if result else "  FAIL")
    return 0 if result else 1
