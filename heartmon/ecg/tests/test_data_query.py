"""GET /ecg/data/: all data of a patient from a device between two times, across recordings."""

from datetime import timedelta

import numpy as np
import pytest

from heartmon.audit.models import AuditEvent
from heartmon.clinic.models import Patient
from heartmon.core.testing import assert_problem
from heartmon.devices.models import Device
from heartmon.ecg import windows
from heartmon.ecg.tests import signals

URL = "/api/v1/ecg/data/"


def _at(seconds: float) -> str:
    return (signals.START + timedelta(seconds=seconds)).isoformat()


@pytest.fixture
def two_recordings(upload):
    """rec-1 covers 0-20 s, rec-2 covers 60-80 s (a later slice of record 100)."""
    first = upload(seconds=20).json()
    second = upload(
        data_id="rec-2",
        samples=signals.mitdb(20, offset=60),
        start_time=_at(60),
    ).json()
    return first, second


def test_recordings_in_the_window_come_clipped_to_it(as_dana, patient, device, two_recordings):
    response = as_dana.get(URL, {"patient": patient.pk, "start": _at(10), "end": _at(70)})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["patient"] == str(patient.pk)
    first, second = body["results"]
    assert [first["id"], second["id"]] == [two_recordings[0]["id"], two_recordings[1]["id"]]
    assert (first["start"], first["end"], first["record_count"]) == (_z(10), _z(20), 3600)
    assert (second["start"], second["end"], second["record_count"]) == (_z(60), _z(70), 3600)
    np.testing.assert_allclose(
        np.array(first["values"]).T, signals.millivolts(signals.mitdb(10, offset=10)), atol=1e-6
    )
    np.testing.assert_allclose(
        np.array(second["values"]).T, signals.millivolts(signals.mitdb(10, offset=60)), atol=1e-6
    )
    assert first["device"] == str(device.pk)
    assert first["data_id"] == "rec-1"


def _z(seconds: float) -> str:
    return _at(seconds).replace("+00:00", "Z")


def test_another_device_and_the_window_narrow_the_answer(as_dana, patient, org_a, two_recordings):
    other = Device.objects.create(organization=org_a, serial_number="HM-2", model="M")

    by_other = as_dana.get(
        URL, {"patient": patient.pk, "device": other.pk, "start": _at(0), "end": _at(100)}
    )
    gap = as_dana.get(URL, {"patient": patient.pk, "start": _at(30), "end": _at(50)})

    assert by_other.json()["results"] == []
    assert gap.json()["results"] == []


def test_max_points_downsamples_each_recording(as_dana, patient, two_recordings):
    body = as_dana.get(
        URL, {"patient": patient.pk, "start": _at(0), "end": _at(100), "max_points": 100}
    ).json()

    assert [len(result["values"][0]) for result in body["results"]] == [100, 100]
    assert all(result["downsampled"] for result in body["results"])


def test_another_patients_recordings_are_not_included(upload, as_dana, org_a, patient):
    other = Patient.objects.create(
        organization=org_a, patient_number="P-2", given_name="Bo", family_name="B"
    )
    upload(patient=str(other.pk))

    body = as_dana.get(URL, {"patient": patient.pk, "start": _at(0), "end": _at(100)}).json()

    assert body["results"] == []


def test_queries_are_audited(as_dana, dana, patient, two_recordings):
    as_dana.get(URL, {"patient": patient.pk, "start": _at(0), "end": _at(100)})

    event = AuditEvent.objects.get(action="ecg.data_queried")
    assert (event.actor, event.patient_id) == (dana, patient.pk)
    assert event.details["recordings"] == [two_recordings[0]["id"], two_recordings[1]["id"]]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"patient": "not-a-uuid", "start": _at(0), "end": _at(10)}, "patient"),
        ({"start": _at(0)}, "end"),
        ({"start": _at(10), "end": _at(0)}, "end"),
        ({"start": _at(0), "end": _at(10), "kind": "boiled"}, "kind"),
    ],
)
def test_bad_parameters_are_refused(as_dana, patient, query, field):
    query.setdefault("patient", patient.pk)

    assert_problem(as_dana.get(URL, query), 400, field=field)


def test_the_patient_is_required(as_dana):
    assert_problem(as_dana.get(URL, {"start": _at(0), "end": _at(10)}), 400, field="patient")


def test_too_much_data_at_full_resolution_is_refused(as_dana, patient, two_recordings, monkeypatch):
    monkeypatch.setattr(windows, "MAX_VALUES", 10_000)

    response = as_dana.get(URL, {"patient": patient.pk, "start": _at(0), "end": _at(100)})

    assert_problem(response, 400, field="end")


def test_another_organization_sees_nothing(as_charlie, patient, two_recordings):
    body = as_charlie.get(URL, {"patient": patient.pk, "start": _at(0), "end": _at(100)}).json()

    assert body["results"] == []
    assert AuditEvent.objects.get(action="ecg.data_queried").patient_id is None


def test_technicians_and_staff_may_not_query(as_tess, as_sam, patient):
    query = {"patient": patient.pk, "start": _at(0), "end": _at(100)}

    assert_problem(as_tess.get(URL, query), 403)
    assert_problem(as_sam.get(URL, query), 403)
