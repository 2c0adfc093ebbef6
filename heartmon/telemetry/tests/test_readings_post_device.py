"""POST /api/v1/readings/ with a device key: batches in our shape or reference 004's, stored once,
rejected items named by index, all or nothing on request; size limits; inactive devices and
revoked keys refused."""

from datetime import timedelta

import orjson
import pytest
from django.db import connection

from heartmon.audit.models import AuditEvent
from heartmon.core.testing import assert_problem
from heartmon.devices.models import DeviceKey, DeviceStatus
from heartmon.telemetry.models import Metric, Reading, Source
from heartmon.telemetry.tests.seed import NOW, T0

URL = "/api/v1/readings/"


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def post(client, body, query=""):
    raw = body if isinstance(body, bytes) else orjson.dumps(body)
    return client.post(URL + query, raw, content_type="application/json")


def items(count, start=T0, **extra):
    return [
        {
            "metric": "heart_rate",
            "value": 60 + i % 40,
            "recorded_at": (start + timedelta(seconds=i)).isoformat(),
            **extra,
        }
        for i in range(count)
    ]


def test_a_device_sends_a_batch_in_our_shape(as_device, monitored, patient):
    response = post(as_device, items(3))

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"stored": 3, "duplicates": 0, "rejected": []}
    stored = list(Reading.objects.order_by("recorded_at"))
    assert [(r.value, r.recorded_at) for r in stored] == [
        (60.0, T0),
        (61.0, T0 + timedelta(seconds=1)),
        (62.0, T0 + timedelta(seconds=2)),
    ]
    assert {(r.device_id, r.patient_id, r.source) for r in stored} == {
        (monitored.pk, patient.pk, Source.DEVICE)
    }


def test_a_device_sends_a_batch_in_reference_004s_shape(as_device, device, org_a):
    body = [
        {
            "timestamp": "2026-11-20T10:56:18.950901",
            "reading": 0.63,
            "device_id": str(device.pk),
            "customer_id": str(org_a.pk),
        },
        {"timestamp": "2026-11-20T10:57:18.950901", "reading": 0.9, "device_id": str(device.pk)},
    ]

    response = post(as_device, body)

    assert response.json() == {"stored": 2, "duplicates": 0, "rejected": []}
    first = Reading.objects.earliest("recorded_at")
    assert (first.metric, first.value) == (Metric.GENERIC, 0.63)
    assert first.recorded_at == T0.replace(hour=10, minute=56, second=18, microsecond=950901)


def test_a_resent_batch_is_counted_as_duplicates_and_stored_once(as_device, device):
    post(as_device, items(5))

    response = post(as_device, items(7))

    assert response.json() == {"stored": 2, "duplicates": 5, "rejected": []}
    assert Reading.objects.count() == 7


def test_invalid_items_are_named_and_the_valid_ones_stored(as_device, device, org_b):
    body = items(2)
    body.insert(1, {"metric": "heart_rate", "value": 0, "recorded_at": T0.isoformat()})
    body.append({"metric": "heart_rate", "value": 70, "recorded_at": "2026-11-20T12:30:00Z"})
    body.append({"reading": 1, "timestamp": 1795161600, "customer_id": str(org_b.pk)})
    body.append("not an object")

    response = post(as_device, body)

    assert response.status_code == 200
    result = response.json()
    assert (result["stored"], result["duplicates"]) == (2, 0)
    assert [(r["index"], sorted(r["errors"])) for r in result["rejected"]] == [
        (1, ["value"]),
        (3, ["recorded_at"]),
        (4, ["customer_id"]),
        (5, ["non_field_errors"]),
    ]
    assert "between 20 and 300" in result["rejected"][0]["errors"]["value"][0]
    assert Reading.objects.count() == 2


def test_a_device_may_not_send_another_devices_readings(as_device, device, org_b_device):
    response = post(as_device, items(1, device=str(org_b_device.pk)))

    assert response.json()["rejected"] == [
        {"index": 0, "errors": {"device": ["A device sends only its own readings."]}}
    ]
    assert not Reading.objects.exists()


def test_an_atomic_batch_with_an_invalid_item_stores_nothing(as_device, device):
    body = [*items(3), {"metric": "heart_rate", "value": 500, "recorded_at": T0.isoformat()}]

    response = post(as_device, body, "?atomic=true")

    problem = assert_problem(response, 400)
    assert problem["rejected"] == [
        {"index": 3, "errors": {"value": ["heart_rate must be between 20 and 300."]}}
    ]
    assert not Reading.objects.exists()


def test_an_atomic_batch_without_errors_is_stored(as_device, device):
    assert post(as_device, items(3), "?atomic=true").json()["stored"] == 3


def test_a_bad_atomic_flag_is_a_400(as_device, device):
    assert_problem(post(as_device, items(1), "?atomic=maybe"), 400, field="atomic")
    assert not Reading.objects.exists()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b'[{"metric": "heart_rate",', "malformed-json"),
        (b"", "malformed-json"),
        (b'{"metric": "heart_rate", "value": 70}', "not-an-array"),
    ],
)
def test_a_body_that_is_not_a_json_array_is_a_400(as_device, device, body, code):
    problem = assert_problem(post(as_device, body), 400)

    assert problem["type"].endswith(code)
    assert not Reading.objects.exists()


def test_a_batch_over_the_item_limit_is_a_413(as_device, device, settings):
    settings.READINGS_MAX_BATCH = 10

    assert_problem(post(as_device, items(11)), 413)
    assert not Reading.objects.exists()


def test_a_body_larger_than_a_full_batch_can_be_is_refused_unread(as_device, device, settings):
    settings.READINGS_MAX_BATCH = 2

    assert_problem(post(as_device, b"[" + b" " * 4096 + b"]"), 413)


def test_a_full_batch_beyond_djangos_upload_limit_is_accepted(as_device, device, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = items(2000, start=NOW - timedelta(hours=1))

    response = post(as_device, body)

    assert response.json()["stored"] == 2000


def test_the_device_is_seen_once_per_batch(as_device, device):
    post(as_device, items(3))

    device.refresh_from_db()
    assert device.last_seen_at == NOW


def test_device_batches_are_not_audited(as_device, device):
    post(as_device, items(3))

    assert not AuditEvent.objects.filter(action__startswith="readings.").exists()


# One INSERT holds up to 142 rows on SQLite (Django keeps to its 999-parameter limit).
@pytest.mark.parametrize("count", [1, 50, 140])
def test_the_query_count_does_not_grow_with_the_batch(
    as_device, monitored, count, django_assert_num_queries
):
    post(as_device, items(1, start=T0 - timedelta(hours=1)))  # the key's last use is now written

    # key, open assignment, a savepoint (two queries), the insert (SQLite: between two
    # total_changes(); the COPY on PostgreSQL goes around Django's query log). The key's use
    # marks the device seen, at most once a minute.
    with django_assert_num_queries(7 if connection.vendor == "sqlite" else 4):
        response = post(as_device, items(count))

    assert response.json()["stored"] == count


def test_an_inactive_device_may_not_send(as_device, device):
    device.status = DeviceStatus.MAINTENANCE
    device.save()

    assert_problem(post(as_device, items(1)), 403)
    assert not Reading.objects.exists()


def test_a_revoked_key_is_a_401(as_device, device, device_key):
    DeviceKey.objects.update(revoked_at=NOW)

    assert_problem(post(as_device, items(1)), 401)
    assert not Reading.objects.exists()


def test_an_unknown_key_is_a_401(client, device):
    response = client.post(
        URL, b"[]", content_type="application/json", HTTP_AUTHORIZATION="Device hm_nope"
    )

    assert_problem(response, 401)
