"""A device's batch is checked a column at a time when every item in it is valid, and item by item
otherwise: both ways accept the same items, store the same values and refuse the same items for
the same reasons."""

from datetime import timedelta

import orjson
import pytest

from heartmon.telemetry.models import Metric, Reading
from heartmon.telemetry.tests.seed import NOW, T0

URL = "/api/v1/readings/"
EPOCH = int(T0.timestamp())
# Sends a batch the item-by-item way; stored alongside nothing, refused at its own index.
INVALID = {"metric": "heart_rate", "value": 0, "recorded_at": T0.isoformat()}

CHOOSE_A_METRIC = (
    "Choose one of: heart_rate, spo2, resp_rate, temperature, systolic_bp, diastolic_bp, "
    "consciousness, oxygen_flow, generic."
)


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def post(client, body):
    return client.post(URL, orjson.dumps(body), content_type="application/json").json()


def heart_rate(value=70, recorded_at=None, **extra):
    return {"metric": "heart_rate", "value": value, "recorded_at": recorded_at, **extra}


def stored():
    return list(Reading.objects.order_by("recorded_at").values_list("recorded_at", "value"))


@pytest.mark.parametrize("with_an_invalid_item", [False, True])
@pytest.mark.parametrize(
    ("times", "instants"),
    [
        (
            [
                "2026-11-20T08:00:00",
                "2026-11-20T10:00:01+02:00",
                "2026-11-20T08:00:02Z",
                "2026-11-20T08:00:03.250000+00:00",
            ],
            [
                T0,
                T0 + timedelta(seconds=1),
                T0 + timedelta(seconds=2),
                T0 + timedelta(seconds=3.25),
            ],
        ),
        (
            [EPOCH, EPOCH + 1.5, (EPOCH + 2) * 1000],
            [T0, T0 + timedelta(seconds=1.5), T0 + timedelta(seconds=2)],
        ),
        (["2026-11-20T08:00:00Z", EPOCH + 1], [T0, T0 + timedelta(seconds=1)]),
    ],
    ids=["iso", "epoch", "mixed"],
)
def test_times_in_every_form_are_stored_as_the_same_instants(
    as_device, monitored, times, instants, with_an_invalid_item
):
    body = [heart_rate(70 + index, moment) for index, moment in enumerate(times)]

    result = post(as_device, [*body, INVALID] if with_an_invalid_item else body)

    assert result["stored"] == len(times)
    assert [r["index"] for r in result["rejected"]] == (
        [len(times)] if with_an_invalid_item else []
    )
    assert stored() == [(instant, 70.0 + index) for index, instant in enumerate(instants)]


@pytest.mark.parametrize("with_an_invalid_item", [False, True])
def test_reference_004s_items_are_stored_alike_either_way(
    as_device, monitored, patient, org_a, with_an_invalid_item
):
    body = [
        {"timestamp": T0.isoformat(), "reading": 1, "device_id": str(monitored.pk).upper()},
        {"timestamp": EPOCH + 1, "reading": -0.5, "customer_id": str(org_a.pk)},
        {"timestamp": EPOCH + 2, "reading": 97.25, "metric": "spo2"},
    ]

    result = post(as_device, [INVALID, *body] if with_an_invalid_item else body)

    assert result["stored"] == 3
    readings = Reading.objects.order_by("recorded_at")
    assert [(r.metric, r.value, r.patient_id) for r in readings] == [
        (Metric.GENERIC, 1.0, patient.pk),
        (Metric.GENERIC, -0.5, patient.pk),
        (Metric.SPO2, 97.25, patient.pk),
    ]


@pytest.mark.parametrize(
    ("item", "errors"),
    [
        (
            {"metric": "spo2", "value": 150, "recorded_at": T0.isoformat()},
            {"value": ["spo2 must be between 50 and 100."]},
        ),
        (heart_rate(value=True, recorded_at=T0.isoformat()), {"value": ["A number is required."]}),
        (heart_rate(value="72", recorded_at=T0.isoformat()), {"value": ["A number is required."]}),
        (
            {"timestamp": T0.isoformat(), "reading": False},
            {"reading": ["A number is required."]},
        ),
        (
            {"metric": "pulse", "value": 70, "recorded_at": T0.isoformat()},
            {"metric": [CHOOSE_A_METRIC]},
        ),
        (
            {"value": 70, "recorded_at": T0.isoformat()},
            {"metric": [CHOOSE_A_METRIC]},
        ),
        (
            heart_rate(recorded_at="1999-12-31T23:59:59Z"),
            {"recorded_at": ["Times before 2000 are refused."]},
        ),
        (
            heart_rate(recorded_at=(NOW + timedelta(minutes=6)).isoformat()),
            {"recorded_at": ["This time is in the future (more than 5 minutes ahead)."]},
        ),
        (
            heart_rate(recorded_at=None),
            {"recorded_at": ["Give a time as ISO 8601 or epoch seconds or milliseconds."]},
        ),
        (heart_rate(recorded_at=T0.isoformat(), device=5), {"device": ["Give an id as a string."]}),
        (
            heart_rate(recorded_at=T0.isoformat(), device=["a"]),
            {"device": ["Give an id as a string."]},
        ),
        (
            heart_rate(recorded_at=T0.isoformat(), customer_id="not an id"),
            {"customer_id": ["This is not the device's organization."]},
        ),
    ],
    ids=[
        "out of its metric's bounds",
        "true",
        "a number in a string",
        "false in reference 004's shape",
        "an unknown metric",
        "no metric",
        "before 2000",
        "in the future",
        "no time",
        "a number as id",
        "a list as id",
        "another organization",
    ],
)
def test_an_item_that_looks_like_the_others_is_still_refused_for_its_reason(
    as_device, monitored, item, errors
):
    result = post(as_device, [heart_rate(72, (T0 + timedelta(minutes=1)).isoformat()), item])

    assert result["rejected"] == [{"index": 1, "errors": errors}]
    assert result["stored"] == 1


def test_a_batch_in_both_shapes_is_stored_whole(as_device, monitored):
    body = [heart_rate(recorded_at=T0.isoformat()), {"timestamp": EPOCH, "reading": 0.5}]

    assert post(as_device, body) == {"stored": 2, "duplicates": 0, "rejected": []}
