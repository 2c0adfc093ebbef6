"""No time a client sends answers 500 (issue 13, items 5 and 6): a `%` (django-filter formats
messages with %), 400 digits, and offsets that carry a time past year 1 or 9999 answer 400 on
every endpoint that reads a time, in a query string or a body. (Here beside the ECG endpoints
because the recording fixture lives here; the others are the lower apps'.)"""

import pytest

from heartmon.core.testing import assert_problem
from heartmon.ecg.tests import signals

HOSTILE = [
    "%d",
    "%",
    "%(x)s",
    "9" * 400,
    "-" + "9" * 400,
    "0001-01-01T00:00:00+01:00",
    "9999-12-31T23:59:59-01:00",
    "9999-12-31",
]

WINDOW_READS = [
    ("/api/v1/readings/", "start"),
    ("/api/v1/readings/", "end"),
    ("/api/v1/heart-rates/", "start"),
    ("/api/v1/heart-rates/", "end"),
    ("/api/v1/readings/aggregate/?patient={patient}", "start"),
    ("/api/v1/ecg/recordings/", "start"),
    ("/api/v1/ecg/recordings/", "end"),
    ("/api/v1/ecg/data/?patient={patient}", "end"),
    ("/api/v1/ecg/recordings/{recording}/samples/", "start"),
    ("/api/v1/ecg/recordings/{recording}/beats/", "end"),
    ("/api/v1/ecg/recordings/{recording}/events/", "start"),
    ("/api/v1/ecg/recordings/{recording}/export/", "end"),
    ("/api/v1/audit-events/", "since"),
    ("/api/v1/audit-events/", "until"),
    ("/api/v1/admissions/", "admitted_after"),
    ("/api/v1/patients/{patient}/admissions/", "admitted_before"),
]


@pytest.mark.parametrize(("url", "name"), WINDOW_READS)
@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_time_in_a_query_answers_400(as_alice, recording, patient, url, name, value):
    url = url.format(patient=patient.pk, recording=recording.pk)
    separator = "&" if "?" in url else "?"

    response = as_alice.get(f"{url}{separator}{name}={value}")

    assert_problem(response, 400)


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_time_in_a_body_is_refused_and_nothing_stored(
    as_alice, monitored, patient, value
):
    reading = {"metric": "heart_rate", "value": 60, "recorded_at": value, "device": monitored.pk}
    heart_rate = {"bpm": 60, "recorded_at": value, "patient": patient.pk}

    batch = as_alice.post("/api/v1/readings/", [reading], format="json")
    single = as_alice.post("/api/v1/heart-rates/", heart_rate, format="json")
    upload = as_alice.post(
        "/api/v1/ecg/recordings/",
        signals.upload_fields(device=monitored, start_time=value),
        format="multipart",
    )

    assert batch.status_code == 200, batch.content
    assert batch.json()["stored"] == 0
    assert "recorded_at" in batch.json()["rejected"][0]["errors"]
    assert_problem(single, 400, field="recorded_at")
    assert_problem(upload, 400, field="start_time")
