"""`heartmon mqtt-ingest` refuses to start without a usable broker URL; broker URLs carry the
host, port, credentials and TLS."""

import pytest
from django.core.management import CommandError, call_command

from heartmon.telemetry.mqtt import Broker


def test_it_refuses_to_start_without_a_broker(settings):
    settings.MQTT_URL = ""

    with pytest.raises(CommandError, match="MQTT_URL is not set"):
        call_command("mqtt_ingest", url="")


def test_it_refuses_a_url_that_is_not_mqtt():
    with pytest.raises(CommandError, match="not an mqtt:// or mqtts:// URL"):
        call_command("mqtt_ingest", url="http://broker.example")


def test_a_plain_url_defaults_to_port_1883_without_credentials():
    assert Broker.from_url("mqtt://broker.example") == Broker(
        host="broker.example", port=1883, username=None, password=None, tls=False
    )


def test_a_tls_url_defaults_to_port_8883_and_decodes_credentials():
    assert Broker.from_url("mqtts://ingest:p%40ss@broker.example") == Broker(
        host="broker.example", port=8883, username="ingest", password="p@ss", tls=True
    )


def test_an_explicit_port_wins():
    assert Broker.from_url("mqtt://127.0.0.1:11883").port == 11883
