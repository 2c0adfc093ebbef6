"""A run: every device sends what it measured since its last batch, at a steady beat, with its
progress on one line."""

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from heartmon.simulator.fleet import SimulatedDevice
from heartmon.simulator.senders import Sender, Tally


class Progress:
    """One line: rewritten in place on a terminal, printed every `every` seconds otherwise."""

    def __init__(self, write: Callable[[str], object], *, live: bool, every: float = 10.0) -> None:
        self.write, self.live, self.every = write, live, every
        self._printed_at = 0.0

    def show(self, sender: Sender, elapsed: float, *, final: bool = False) -> None:
        if not (self.live or final or elapsed - self._printed_at >= self.every):
            return
        self._printed_at = elapsed
        tally, (accepted, refused) = sender.tally, sender.labels
        rate = tally.sent / elapsed if elapsed > 0 else 0.0
        line = (
            f"sent {tally.sent:,} · {accepted} {tally.accepted:,} · {refused} {tally.refused:,} · "
            f"{rate:,.1f} readings/s · {timedelta(seconds=round(elapsed))}"
        )
        if tally.last_problem:
            line += f" · last refusal: {tally.last_problem[:60]}"
        self.write(f"\r{line:<120}" + ("\n" if final else "") if self.live else f"{line}\n")


def run(
    fleet: Sequence[SimulatedDevice],
    sender: Sender,
    *,
    rate_hz: float,
    duration: float,
    interval: float,
    progress: Progress,
) -> Tally:
    """Every `interval` seconds each device sends what it measured since its last batch, for
    `duration` seconds (0: until interrupted, which ends the run as normally)."""
    started = time.monotonic()
    try:
        while not duration or time.monotonic() - started < duration:
            time.sleep(interval - (time.monotonic() - started) % interval)
            now = datetime.now(UTC)
            for device in fleet:
                readings = device.measure(now=now, rate_hz=rate_hz)
                if readings:
                    sender.send(device, readings)
            progress.show(sender, time.monotonic() - started)
    except KeyboardInterrupt:
        pass
    finally:
        sender.close()
    progress.show(sender, time.monotonic() - started, final=True)
    return sender.tally
