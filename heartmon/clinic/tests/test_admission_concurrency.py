"""Two simultaneous admits of one bed, or of one device: the database leaves one winner and the
other gets a 409. Threads need real concurrent transactions, so this runs on PostgreSQL only."""

import threading

import pytest
from django.db import connection

from heartmon.accounts.testing import client_for
from heartmon.clinic.models import Admission
from heartmon.clinic.tests.admitting import admit
from heartmon.devices.models import DeviceAssignment

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serializes writers, so concurrent admits cannot race: needs PostgreSQL",
    ),
]


def race(*admits) -> list[int]:
    """Run the admits at once; the status codes they got, sorted."""
    barrier = threading.Barrier(len(admits))
    statuses: list[int] = []

    def run(call) -> None:
        try:
            barrier.wait()
            statuses.append(call().status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in admits]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


@pytest.mark.parametrize("attempt", range(5))
def test_two_admits_to_one_bed_leave_one_winner(sam, patient, patient2, bed, attempt):
    client_1, client_2 = client_for(sam), client_for(sam)

    statuses = race(lambda: admit(client_1, patient, bed), lambda: admit(client_2, patient2, bed))

    assert statuses == [201, 409]
    assert Admission.objects.filter(bed=bed, discharged_at__isnull=True).count() == 1


@pytest.mark.parametrize("attempt", range(5))
def test_two_admits_with_one_device_leave_one_winner(
    sam, patient, patient2, bed, bed2, device, attempt
):
    client_1, client_2 = client_for(sam), client_for(sam)

    statuses = race(
        lambda: admit(client_1, patient, bed, [device]),
        lambda: admit(client_2, patient2, bed2, [device]),
    )

    assert statuses == [201, 409]
    assert Admission.objects.count() == 1
    assert DeviceAssignment.objects.get().admission == Admission.objects.get()
