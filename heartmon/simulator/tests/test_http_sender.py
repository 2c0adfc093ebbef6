"""The simulator's HTTP sender stops at a refusal that no later batch would escape, and says why:
a key the server does not know (it uses another database), a key someone revoked."""

import pytest

from heartmon.devices.models import DeviceKey
from heartmon.devices.services.keys import revoke_key
from heartmon.simulator.fleet import prepare_fleet
from heartmon.simulator.senders import FatalRefusal, HttpSender

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_revoked_key_stops_it_saying_someone_revoked_it(org_a, alice, server):
    device = prepare_fleet(count=1, organization=org_a, actor=alice.as_actor(), seed=1).devices[0]
    revoke_key(key=DeviceKey.objects.get(), actor=alice.as_actor())
    sender = HttpSender(server.url, wait_seconds=5)

    with pytest.raises(FatalRefusal, match=r"401 for SIM-001: .*revoked.* Someone revoked it"):
        sender.send(device, [{"metric": "heart_rate", "value": 70, "recorded_at": 1795334400}])


def test_an_unknown_key_asks_whether_the_server_uses_this_database(org_a, alice, server):
    device = prepare_fleet(count=1, organization=org_a, actor=alice.as_actor(), seed=1).devices[0]
    DeviceKey.objects.update(digest="0" * 64)  # as a server on another database knows it
    sender = HttpSender(server.url, wait_seconds=5)

    with pytest.raises(FatalRefusal, match=r"401 for SIM-001: .*Does the server use this database"):
        sender.send(device, [{"metric": "heart_rate", "value": 70, "recorded_at": 1795334400}])
