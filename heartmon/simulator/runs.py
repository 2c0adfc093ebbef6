"""Runs of `heartmon simulate` side by side: each makes a key of its own per device and revokes
only its own when it ends, so a second run never stops the one `make demo` started.

Alive means the run's process is still running. It says so by renewing a lease from a thread of
its own every RENEW_EVERY, whatever its sending does (a slow or restarting server, a stopped MQTT
ingester, a long --interval). A run whose lease has gone unrenewed for LEASE was killed, crashed
or its machine slept: the next run to start revokes its keys. How recently a key was used never
decides it, since a live run's key goes unused while the server it sends to is down.
"""

import logging
import os
import socket
import threading
import uuid
from datetime import timedelta
from types import TracebackType

from django.db import DatabaseError, close_old_connections, connections, transaction
from django.db.models import Prefetch
from django.utils import timezone

from heartmon.accounts.models import Organization
from heartmon.core.actor import Actor
from heartmon.devices.models import DeviceKey
from heartmon.devices.services.keys import revoke_key
from heartmon.simulator.models import Run

logger = logging.getLogger(__name__)

KEY_NAME = "simulator"
SERIAL_PREFIX = "SIM-"
RENEW_EVERY = timedelta(seconds=15)
LEASE = timedelta(seconds=60)  # four renewals: a database hiccup or two is not a death


@transaction.atomic
def start_run(*, organization: Organization, actor: Actor) -> Run:
    """A new live run of the organization, after revoking the keys of its runs that died."""
    _bury_dead_runs(organization=organization, actor=actor)
    now = timezone.now()
    return Run.objects.create(
        organization=organization,
        host=socket.gethostname(),
        pid=os.getpid(),
        started_at=now,
        alive_until=now + LEASE,
    )


def _bury_dead_runs(*, organization: Organization, actor: Actor) -> None:
    """Forget the organization's dead runs, then revoke every simulator key on its demo devices
    that no live run holds (theirs, and keys of simulators older than runs). A run renewing its
    lease meanwhile either renews first, and lives, or finds itself buried."""
    dead = Run.objects.dead(timezone.now()).filter(organization=organization).select_for_update()
    Run.objects.filter(pk__in=list(dead.values_list("pk", flat=True))).delete()
    orphans = DeviceKey.objects.filter(
        device__organization=organization,
        device__serial_number__startswith=SERIAL_PREFIX,
        name=KEY_NAME,
        revoked_at=None,
        simulator_runs=None,
    )
    for key in orphans:
        revoke_key(key=key, actor=actor)


def renew_run(*, run_id: uuid.UUID) -> bool:
    """Whether the run still lives, its lease renewed (False: another run buried it)."""
    return Run.objects.filter(pk=run_id).update(alive_until=timezone.now() + LEASE) == 1


@transaction.atomic
def end_run(*, run_id: uuid.UUID, actor: Actor) -> None:
    """Revoke the run's keys and forget it; nothing to do once another run buried it."""
    run = Run.objects.select_for_update().filter(pk=run_id).first()
    if run is None:
        return
    for key in run.keys.filter(revoked_at=None):
        revoke_key(key=key, actor=actor)
    run.delete()


def neighbours_of(run: Run) -> dict[str, set[str]]:
    """The organization's other live runs, described for a person, with the serials of the
    devices they hold keys for."""
    live_keys = DeviceKey.objects.filter(revoked_at=None).select_related("device")
    others = (
        Run.objects.alive(timezone.now())
        .filter(organization_id=run.organization_id)
        .exclude(pk=run.pk)
        .prefetch_related(Prefetch("keys", queryset=live_keys))
    )
    return {str(other): {key.device.serial_number for key in other.keys.all()} for other in others}


class Lease:
    """Keeps a run alive, renewing its lease every `every` from a thread of its own, while the
    block runs. Ending the run is up to the caller (`end_run`)."""

    def __init__(self, run_id: uuid.UUID, *, every: timedelta = RENEW_EVERY) -> None:
        self.run_id, self.every = run_id, every
        self.lost = False  # the run was taken for dead and its keys revoked
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._renew_until_stopped, daemon=True)

    def __enter__(self) -> "Lease":
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stopped.set()
        self._thread.join()

    def _renew_until_stopped(self) -> None:
        try:
            while not self.lost and not self._stopped.wait(self.every.total_seconds()):
                self.lost = not self._renew()
        finally:
            connections.close_all()  # this thread's own

    def _renew(self) -> bool:
        close_old_connections()  # a connection the database dropped is opened again
        try:
            return renew_run(run_id=self.run_id)
        except DatabaseError:  # not known to be dead: the lease outlasts a few of these
            logger.warning("Could not renew this simulator run's lease.", exc_info=True)
            return True
