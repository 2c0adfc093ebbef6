"""The simulator's MQTT mode against the real broker (MQTT_URL, Mosquitto in CI): what it
publishes, the ingester stores, and its tally counts the broker's acknowledgements."""

import uuid
from collections.abc import Iterator

import pytest
from django.conf import settings

from heartmon.simulator.fleet import prepare_fleet
from heartmon.simulator.loop import Progress, run
from heartmon.simulator.senders import MqttSender
from heartmon.telemetry.models import Reading
from heartmon.telemetry.tests.mqtt_support import forget_session, running, wait_until

pytestmark = [
    pytest.mark.skipif(
        not settings.MQTT_URL, reason="needs a broker: set MQTT_URL=mqtt://127.0.0.1:1883"
    ),
    # The ingester commits from its own thread: the test database must see those commits.
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def root() -> Iterator[str]:
    """A topic root of the test's own, also the ingester's client id (its session is ended)."""
    name = f"heartmon-test-{uuid.uuid4().hex[:12]}"
    yield name
    forget_session(settings.MQTT_URL, name)


def test_the_simulator_publishes_readings_the_ingester_stores(org_a, alice, root):
    url = settings.MQTT_URL
    fleet = prepare_fleet(count=2, organization=org_a, actor=alice.as_actor(), seed=1)
    with running(url, root, root):
        tally = run(
            fleet.devices,
            MqttSender(url, root=root),
            rate_hz=4,
            duration=1.5,
            interval=0.5,
            progress=Progress(lambda text: None, live=False),
        )

        wait_until(lambda: Reading.objects.count() == tally.sent)

    assert tally.sent >= 4
    assert tally.accepted == tally.sent
    assert tally.refused == 0
    assert Reading.objects.filter(device__serial_number="SIM-002").exists()
