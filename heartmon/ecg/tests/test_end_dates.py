"""`end=YYYY-MM-DD` includes that whole day (and `start=` is its 00:00), as on every
time-filtered endpoint: `start=D&end=D` is the day D."""

from datetime import timedelta

import pytest

from heartmon.ecg.tests import signals

DAY, DAY_BEFORE = signals.START.date().isoformat(), "2024-02-29"


@pytest.fixture
def recording(upload, django_capture_on_commit_callbacks):
    """20 s of record 100, analysed."""
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(seconds=20)
    assert response.status_code == 201, response.content
    return response.json()


def test_recordings_of_the_end_day_are_listed(as_dana, recording):
    url = "/api/v1/ecg/recordings/"
    listed = as_dana.get(url, {"start": DAY, "end": DAY}).json()["results"]
    before = as_dana.get(url, {"end": DAY_BEFORE}).json()["results"]

    assert [row["id"] for row in listed] == [recording["id"]]
    assert before == []


@pytest.mark.parametrize("read", ["samples", "beats", "events"])
def test_a_recordings_reads_take_the_whole_end_day(as_dana, recording, read):
    url = f"/api/v1/ecg/recordings/{recording['id']}/{read}/"

    whole = as_dana.get(url, {"start": DAY, "end": DAY})
    nothing = as_dana.get(url, {"end": DAY_BEFORE})

    assert whole.status_code == 200, whole.content
    assert whole.json() == as_dana.get(url).json()
    assert nothing.status_code in (200, 400)
    assert nothing.json() != whole.json()


def test_the_patient_data_query_takes_the_whole_end_day(as_dana, recording, patient):
    query = {"patient": patient.pk, "start": DAY, "end": DAY}
    body = as_dana.get("/api/v1/ecg/data/", query).json()

    assert [row["id"] for row in body["results"]] == [recording["id"]]
    assert body["end"] == (signals.START.replace(hour=0) + timedelta(days=1)).isoformat().replace(
        "+00:00", "Z"
    )
