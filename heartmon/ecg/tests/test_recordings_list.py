"""Listing and reading recordings' metadata: every role of the organization, nobody else; the
analysis summary only for roles that read signals."""

from datetime import timedelta

import pytest

from heartmon.audit.models import AuditEvent
from heartmon.core.testing import assert_problem
from heartmon.ecg.models import Recording
from heartmon.ecg.tests import signals

URL = "/api/v1/ecg/recordings/"


def _at(seconds: float) -> str:
    return (signals.START + timedelta(seconds=seconds)).isoformat()


@pytest.fixture
def three(upload):
    upload(seconds=5)
    upload(seconds=5, data_id="rec-2", start_time=_at(3600), kind="processed")
    upload(seconds=5, data_id="rec-3", start_time=_at(7200))
    return Recording.objects.all()


def test_recordings_come_newest_first(as_bob, three):
    body = as_bob.get(URL).json()

    assert body["count"] == 3
    assert [row["data_id"] for row in body["results"]] == ["rec-3", "rec-2", "rec-1"]
    row = body["results"][2]
    assert row["sample_rate"] == 360
    assert row["duration"] == 5
    assert row["leads"] == ["MLII", "V5"]
    assert row["status"] == "pending"
    assert row["summary"]["beat_count"] is None


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "processed"}, ["rec-2"]),
        ({"data_id": "rec-3"}, ["rec-3"]),
        ({"start": _at(3000), "end": _at(3603)}, ["rec-2"]),
        ({"start": _at(4)}, ["rec-3", "rec-2", "rec-1"]),
        ({"start": _at(5)}, ["rec-3", "rec-2"]),
        ({"end": "1709280001"}, ["rec-1"]),  # epoch seconds: 08:00:01
        ({"ordering": "start_time"}, ["rec-1", "rec-2", "rec-3"]),
        ({"file_format": "wfdb"}, ["rec-3", "rec-2", "rec-1"]),
        ({"file_format": "edf"}, []),
    ],
)
def test_filters(as_bob, three, query, expected):
    body = as_bob.get(URL, query).json()

    assert [row["data_id"] for row in body["results"]] == expected


def test_patient_and_device_filters(as_bob, three, patient, device):
    assert as_bob.get(URL, {"patient": patient.pk}).json()["count"] == 3
    assert as_bob.get(URL, {"device": device.pk}).json()["count"] == 3
    assert as_bob.get(URL, {"device": patient.pk}).json()["count"] == 0


def test_bad_filters_are_refused(as_bob, three):
    assert_problem(as_bob.get(URL, {"start": "tomorrowish"}), 400, field="start")
    assert_problem(as_bob.get(URL, {"kind": "fried"}), 400, field="kind")
    assert_problem(as_bob.get(URL, {"patient": "nope"}), 400, field="patient")
    # ?format= chooses how to answer (DRF), so the file format filter is file_format.
    assert_problem(as_bob.get(URL, {"format": "wfdb"}), 400, field="format")


def test_the_list_takes_a_fixed_number_of_queries(as_bob, three, django_assert_num_queries):
    with django_assert_num_queries(3):  # count, page, audit
        as_bob.get(URL)


def test_technicians_see_metadata_without_the_summary(as_tess, three):
    body = as_tess.get(URL).json()

    assert body["count"] == 3
    assert all("summary" not in row for row in body["results"])
    detail = as_tess.get(f"{URL}{body['results'][0]['id']}/").json()
    assert "summary" not in detail
    assert detail["sample_count"] == 5 * 360


def test_the_summary_shows_the_analysis(as_dana, three):
    recording = three.get(data_id="rec-1")
    Recording.objects.filter(pk=recording.pk).update(
        status="done", beat_count=6, mean_hr=72.5, sdnn_ms=41.0, signal_quality=0.9
    )

    body = as_dana.get(f"{URL}{recording.pk}/").json()

    assert body["status"] == "done"
    assert body["summary"]["beat_count"] == 6
    assert body["summary"]["mean_hr"] == 72.5


def test_reads_are_audited(as_dana, dana, patient, three):
    as_dana.get(URL, {"patient": patient.pk})
    as_dana.get(f"{URL}{three[0].pk}/")

    listed = AuditEvent.objects.get(action="ecg.listed")
    assert (listed.actor, listed.patient_id) == (dana, patient.pk)
    assert listed.details == {
        "patient_ids": [str(patient.pk)],
        "count": 1,
        "query": f"patient={patient.pk}",
        "recordings": 3,
    }
    viewed = AuditEvent.objects.get(action="ecg.viewed")
    assert viewed.object_id == str(three[0].pk)


def test_another_organization_sees_none_and_finds_none(as_charlie, three):
    assert as_charlie.get(URL).json()["count"] == 0
    assert_problem(as_charlie.get(f"{URL}{three[0].pk}/"), 404)
