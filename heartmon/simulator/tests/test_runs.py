"""Simulator runs side by side (`make demo`'s and one started beside it): each run's keys are its
own and keep working while it lives; a run revokes its own when it ends; a run that died, its
lease no longer renewed, has them revoked by the next run to start."""

import contextlib
import time
from datetime import UTC, datetime, timedelta

import pytest

from heartmon.devices.authentication import KeyRefused, use_key
from heartmon.devices.models import Device
from heartmon.devices.services.keys import create_key
from heartmon.simulator.fleet import Fleet, prepare_fleet
from heartmon.simulator.models import Run
from heartmon.simulator.runs import LEASE, Lease, end_run, renew_run

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
ALL = ["SIM-001", "SIM-002", "SIM-003"]


@pytest.fixture
def start(org_a, alice):
    def start(count: int = 3, first: int = 1) -> Fleet:
        return prepare_fleet(
            count=count, first=first, organization=org_a, actor=alice.as_actor(), seed=1
        )

    return start


def working(fleet: Fleet) -> list[str]:
    """The serials of the fleet's devices whose key the server still takes."""
    serials = []
    for device in fleet.devices:
        with contextlib.suppress(KeyRefused):
            serials.append(use_key(device.key).device.serial_number)
    return serials


def test_two_runs_prepared_one_after_the_other_both_keep_working_keys(start):
    demo = start()

    beside = start()

    assert working(demo) == ALL
    assert working(beside) == ALL


def test_a_run_that_ends_revokes_its_own_keys_and_no_others(start, alice):
    demo = start()
    beside = start()

    end_run(run_id=beside.run_id, actor=alice.as_actor())

    assert working(beside) == []
    assert working(demo) == ALL
    assert not Run.objects.filter(pk=beside.run_id).exists()


def test_the_keys_of_a_run_that_stopped_renewing_are_revoked_by_the_next_run(start, time_machine):
    time_machine.move_to(T0, tick=False)
    dead = start()
    time_machine.move_to(T0 + LEASE + timedelta(seconds=1), tick=False)

    later = start()

    assert working(dead) == []
    assert working(later) == ALL
    assert list(Run.objects.values_list("pk", flat=True)) == [later.run_id]


def test_a_run_that_keeps_renewing_keeps_its_keys_past_its_first_lease(start, time_machine):
    time_machine.move_to(T0, tick=False)
    alive = start()
    time_machine.move_to(T0 + LEASE - timedelta(seconds=10), tick=False)
    assert renew_run(run_id=alive.run_id)
    time_machine.move_to(T0 + LEASE + timedelta(seconds=10), tick=False)

    start()

    assert working(alive) == ALL


def test_a_run_taken_for_dead_learns_it_when_it_next_renews(start, time_machine):
    time_machine.move_to(T0, tick=False)
    asleep = start()
    time_machine.move_to(T0 + LEASE + timedelta(seconds=1), tick=False)
    start()

    assert not renew_run(run_id=asleep.run_id)


def test_simulator_keys_that_no_run_holds_are_revoked_when_a_run_starts(
    start, org_a, org_b, alice, charlie
):
    demo_device = Device.objects.create(organization=org_a, serial_number="SIM-001", model="S")
    _, older_simulator = create_key(device=demo_device, name="simulator", actor=alice.as_actor())
    _, bedside = create_key(device=demo_device, name="bedside", actor=alice.as_actor())
    elsewhere = Device.objects.create(organization=org_b, serial_number="SIM-101", model="S")
    _, other_organization = create_key(device=elsewhere, name="simulator", actor=charlie.as_actor())

    start(count=1)

    with pytest.raises(KeyRefused, match="revoked"):
        use_key(older_simulator)
    assert use_key(bedside).device == demo_device
    assert use_key(other_organization).device == elsewhere


def test_a_run_knows_which_of_its_devices_another_live_run_sends_for(start):
    demo = start()

    beside = start(count=2)
    apart = start(count=2, first=beside.first_free())

    other = str(Run.objects.get(pk=demo.run_id))
    assert beside.shared() == {other: ["SIM-001", "SIM-002"]}
    assert beside.first_free() == 4
    assert apart.shared() == {}
    assert [device.serial for device in apart.devices] == ["SIM-004", "SIM-005"]


@pytest.mark.django_db(transaction=True)
def test_the_lease_renews_the_run_from_a_thread_of_its_own(start):
    fleet = start()
    first_lease = Run.objects.get(pk=fleet.run_id).alive_until

    with Lease(fleet.run_id, every=timedelta(milliseconds=10)):
        time.sleep(0.2)  # the run sends meanwhile, and never touches its lease

    assert Run.objects.get(pk=fleet.run_id).alive_until > first_lease


@pytest.mark.django_db(transaction=True)
def test_a_lease_learns_that_its_run_was_taken_for_dead(start):
    fleet = start()
    Run.objects.filter(pk=fleet.run_id).delete()

    with Lease(fleet.run_id, every=timedelta(milliseconds=10)) as lease:
        deadline = time.monotonic() + 5
        while not lease.lost and time.monotonic() < deadline:
            time.sleep(0.01)

    assert lease.lost
