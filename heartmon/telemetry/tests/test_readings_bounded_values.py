"""Generic values are bounded (±1e9) so that every sum, mean and rollup the database computes stays
finite: values near 1e308 once overflowed the per-minute rollup and failed their whole batch."""

import orjson
import pytest

from heartmon.telemetry.models import Reading
from heartmon.telemetry.mqtt import handle_message
from heartmon.telemetry.tests.seed import NOW, T0

URL = "/api/v1/readings/"
EPOCH = int(T0.timestamp())
OUT_OF_BOUNDS = {"reading": ["generic must be between -1e+09 and 1e+09."]}


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def generic(second, value):
    return {"timestamp": EPOCH + second, "reading": value}


def post(client, body):
    response = client.post(URL, orjson.dumps(body), content_type="application/json")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("huge", [1e308, -1.7e308, 1e154, 1e9 + 1])
def test_values_too_large_to_sum_are_refused_and_the_others_kept(as_device, monitored, huge):
    result = post(as_device, [generic(0, huge), generic(1, huge), generic(2, 0.5)])

    assert result["stored"] == 1
    assert result["rejected"] == [
        {"index": 0, "errors": OUT_OF_BOUNDS},
        {"index": 1, "errors": OUT_OF_BOUNDS},
    ]
    assert list(Reading.objects.values_list("value", flat=True)) == [0.5]


def test_values_at_the_bounds_aggregate_to_finite_numbers(as_device, as_alice, monitored):
    post(as_device, [generic(second, 1e9) for second in range(30)] + [generic(30, -1e9)])

    response = as_alice.get(
        "/api/v1/readings/aggregate/",
        {"metric": "generic", "start": T0.isoformat(), "bucket_minutes": 1, "stats": "min,max"},
    )

    assert response.status_code == 200, response.content
    ((bucket,),) = [device["aggregated_values"] for device in response.json()["data"]]
    assert bucket["value"] == pytest.approx(29e9 / 31)
    assert (bucket["min"], bucket["max"]) == (-1e9, 1e9)


def test_an_mqtt_message_with_huge_values_keeps_its_other_readings(monitored, device_key):
    readings = [generic(0, 1e308), generic(1, 1e308), generic(2, 0.5)]
    payload = orjson.dumps({"key": device_key, "readings": readings})

    reply = handle_message(serial=monitored.serial_number, payload=payload)

    assert reply is not None
    assert [rejection["index"] for rejection in reply["rejected"]] == [0, 1]
    assert list(Reading.objects.values_list("value", flat=True)) == [0.5]
