"""`heartmon simulate`: demo devices send heart rates to a running server over HTTP (over MQTT:
see test_mqtt_sender), beside a running demo without stopping it; it refuses clearly when it has
nowhere to send or nobody to act as."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from heartmon.accounts.management.commands.demo_data import DEMO_ORGANIZATION
from heartmon.accounts.models import Organization
from heartmon.accounts.testing import make_user
from heartmon.core.roles import Role
from heartmon.devices.authentication import use_key
from heartmon.devices.models import Device, DeviceKey
from heartmon.simulator.fleet import prepare_fleet
from heartmon.simulator.models import Run
from heartmon.telemetry.models import Metric, Reading


@pytest.fixture
def demo_hospital(db) -> Organization:
    organization = Organization.objects.create(name=DEMO_ORGANIZATION)
    make_user(organization, "admin@demo.heartmon.test", Role.ADMIN)
    return organization


def simulate(*args: str, stderr: StringIO | None = None) -> str:
    out = StringIO()
    call_command("simulate", "--progress", "lines", *args, stdout=out, stderr=stderr)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_it_sends_heart_rates_to_a_running_server(demo_hospital, server):
    output = simulate(
        "--devices", "2", "--rate", "4", "--duration", "2", "--interval", "0.5",
        "--url", server.url,
    )  # fmt: skip

    readings = Reading.objects.filter(device__serial_number__in=["SIM-001", "SIM-002"])
    assert readings.count() >= 8
    assert set(readings.values_list("metric", flat=True)) == {Metric.HEART_RATE}
    assert not readings.filter(patient__isnull=True).exists()
    assert all(25 <= value <= 250 for value in readings.values_list("value", flat=True))
    assert f"Simulating 2 devices (SIM-001 to SIM-002) at 4 Hz into {server.url}" in output
    assert f"stored {readings.count():,} · refused 0" in output


@pytest.mark.django_db(transaction=True)
def test_with_faults_it_sends_every_vital_and_logs_the_truth(demo_hospital, server, tmp_path):
    truth = tmp_path / "truth.jsonl"

    simulate(
        "--devices", "2", "--rate", "4", "--duration", "2", "--interval", "0.5",
        "--url", server.url, "--truth", str(truth), "--seed", "3",
    )  # fmt: skip

    metrics = set(Reading.objects.values_list("metric", flat=True))
    assert metrics == {Metric.HEART_RATE, Metric.SPO2, Metric.RESP_RATE, Metric.TEMPERATURE}
    # Faults are rare in two seconds (see test_faults); the log is there, a JSON line each.
    faults = [json.loads(line) for line in truth.read_text().splitlines()]
    assert {fault["device"] for fault in faults} <= {"SIM-001", "SIM-002"}


@pytest.mark.django_db(transaction=True)
def test_a_url_that_is_no_heartmon_server_stops_it_with_the_reason(demo_hospital, server):
    with pytest.raises(CommandError, match=r"404 .*Is the URL a heartmon server"):
        simulate("--duration", "1", "--url", f"{server.url}/elsewhere")


@pytest.mark.django_db(transaction=True)
def test_beside_a_running_demo_it_revokes_only_its_own_keys_when_it_ends(demo_hospital, server):
    admin = demo_hospital.users.get()
    demo = prepare_fleet(count=3, organization=demo_hospital, actor=admin.as_actor(), seed=1)
    warnings = StringIO()

    simulate("--devices", "2", "--duration", "1", "--url", server.url, stderr=warnings)

    for device in demo.devices:
        assert use_key(device.key).device.serial_number == device.serial
    assert DeviceKey.objects.filter(revoked_at=None).count() == 3
    assert list(Run.objects.values_list("pk", flat=True)) == [demo.run_id]
    warning = warnings.getvalue()
    assert "SIM-001, SIM-002: another `heartmon simulate` (pid" in warning
    assert "simulate other devices with --first 4" in warning


def test_it_needs_the_organization_to_exist(db):
    with pytest.raises(CommandError, match="run `heartmon demo_data` first"):
        simulate("--duration", "1")


def test_it_needs_an_admin_of_the_organization(db):
    Organization.objects.create(name=DEMO_ORGANIZATION)

    with pytest.raises(CommandError, match="no active admin"):
        simulate("--duration", "1")


@pytest.mark.parametrize(
    "args",
    [("--devices", "0"), ("--rate", "0"), ("--url", "ftp://example.org")],
)
def test_it_refuses_bad_arguments_before_creating_anything(demo_hospital, args):
    with pytest.raises(CommandError):
        simulate("--duration", "1", *args)

    assert not Device.objects.exists()


def test_mqtt_without_a_broker_is_refused(demo_hospital, settings):
    settings.MQTT_URL = ""

    with pytest.raises(CommandError, match="needs MQTT_URL"):
        simulate("--via", "mqtt", "--mqtt-url", "")
