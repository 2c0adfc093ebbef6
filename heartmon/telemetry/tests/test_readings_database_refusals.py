"""When the database refuses some items of a batch (here a constraint the test adds, refusing the
value 66), the batch's other items are stored all the same and the refused ones are rejected at
their index (HTTP and MQTT); an atomic batch stores nothing."""

from datetime import timedelta

import orjson
import pytest
from django.db import connection

from heartmon.core.testing import assert_problem
from heartmon.telemetry.ingest import REFUSED
from heartmon.telemetry.models import Reading
from heartmon.telemetry.mqtt import handle_message
from heartmon.telemetry.tests.seed import NOW, T0

URL = "/api/v1/readings/"
REFUSED_VALUE = 66
REFUSAL = {"non_field_errors": [REFUSED]}


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture(autouse=True)
def _refusing_database(db):
    """The readings table refuses one value, as a database refuses what it cannot store."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE telemetry_reading ADD CONSTRAINT test_refuses "
                f"CHECK (value <> {REFUSED_VALUE})"
            )
        else:  # SQLite: a CHECK would be ignored like a duplicate (INSERT OR IGNORE)
            cursor.execute(
                "CREATE TEMP TRIGGER test_refuses BEFORE INSERT ON telemetry_reading "
                f"WHEN NEW.value = {REFUSED_VALUE} BEGIN SELECT RAISE(ABORT, 'refused'); END"
            )
    yield
    if connection.vendor != "postgresql":  # PostgreSQL's is undone with the test's transaction
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER temp.test_refuses")


def batch(*values, **extra):
    return [
        {"metric": "heart_rate", "value": value, **extra,
         "recorded_at": (T0 + timedelta(seconds=index)).isoformat()}
        for index, value in enumerate(values)
    ]  # fmt: skip


def post(client, body, query=""):
    return client.post(URL + query, orjson.dumps(body), content_type="application/json")


def stored_values():
    return sorted(Reading.objects.values_list("value", flat=True))


def test_a_devices_batch_keeps_the_items_the_database_takes(as_device, monitored):
    response = post(as_device, batch(70, 66, 71, 66, 72))

    assert response.status_code == 200, response.content
    assert response.json() == {
        "stored": 3,
        "duplicates": 0,
        "rejected": [{"index": 1, "errors": REFUSAL}, {"index": 3, "errors": REFUSAL}],
    }
    assert stored_values() == [70.0, 71.0, 72.0]


def test_refusals_take_their_place_among_invalid_items(as_bob, monitored):
    body = batch(70, 0, 66, 71, device=str(monitored.pk))

    result = post(as_bob, body).json()

    assert [rejection["index"] for rejection in result["rejected"]] == [1, 2]
    assert result["rejected"][1]["errors"] == REFUSAL
    assert stored_values() == [70.0, 71.0]


def test_a_resent_batch_counts_its_duplicates_beside_the_refusals(as_device, monitored):
    post(as_device, batch(70, 66, 71))

    result = post(as_device, batch(70, 66, 71, 72)).json()

    assert (result["stored"], result["duplicates"], len(result["rejected"])) == (1, 2, 1)


def test_an_atomic_batch_with_a_refused_item_stores_nothing(as_device, monitored):
    response = post(as_device, batch(70, 66, 71), "?atomic=true")

    problem = assert_problem(response, 400)
    assert problem["rejected"] == [{"index": 1, "errors": REFUSAL}]
    assert not Reading.objects.exists()


def test_an_mqtt_message_keeps_the_items_the_database_takes(monitored, device_key):
    payload = orjson.dumps({"key": device_key, "readings": batch(70, 66, 71)})

    reply = handle_message(serial=monitored.serial_number, payload=payload)

    assert reply == {"stored": 2, "duplicates": 0, "rejected": [{"index": 1, "errors": REFUSAL}]}
    assert stored_values() == [70.0, 71.0]
