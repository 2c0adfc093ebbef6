"""GET /recordings/{id}/export/: standard files the field's libraries read back identically."""

import io
import zipfile
from datetime import timedelta

import numpy as np
import pyedflib
import pytest
import wfdb
from django.core.files.uploadedfile import SimpleUploadedFile

from heartmon.audit.models import AuditEvent
from heartmon.core.testing import assert_problem
from heartmon.ecg import storage
from heartmon.ecg.models import Recording
from heartmon.ecg.tests import signals


def _url(recording) -> str:
    return f"/api/v1/ecg/recordings/{recording.pk}/export/"


def _at(seconds: float) -> str:
    return (signals.START + timedelta(seconds=seconds)).isoformat()


def _content(response) -> bytes:
    return b"".join(response.streaming_content)


def test_wfdb_comes_as_a_zip_that_wfdb_reads_back(as_dana, recording, tmp_path):
    response = as_dana.get(_url(recording), {"format": "wfdb", "start": _at(20), "end": _at(50)})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="rec-1.zip"' in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(_content(response))) as archive:
        assert sorted(archive.namelist()) == ["rec-1.dat", "rec-1.hea"]
        archive.extractall(tmp_path)
    record = wfdb.rdrecord(str(tmp_path / "rec-1"), physical=False, return_res=16)
    np.testing.assert_array_equal(record.d_signal, signals.mitdb(30, offset=20))
    assert record.fs == 360
    assert record.sig_name == ["MLII", "V5"]
    assert record.adc_gain == [200.0, 200.0]
    assert record.baseline == [1024, 1024]
    assert (record.base_date.isoformat(), record.base_time.isoformat()) == (
        "2024-03-01",
        "08:00:20",
    )
    physical = wfdb.rdrecord(str(tmp_path / "rec-1")).p_signal
    np.testing.assert_allclose(physical, signals.millivolts(signals.mitdb(30, offset=20)))


def test_edf_is_read_back_by_pyedflib(as_dana, recording, tmp_path):
    response = as_dana.get(_url(recording), {"format": "edf", "end": _at(60)})

    assert response.status_code == 200
    path = tmp_path / "rec.edf"
    path.write_bytes(_content(response))
    reader = pyedflib.EdfReader(str(path))
    try:
        assert reader.getSignalLabels() == ["MLII", "V5"]
        assert reader.getSampleFrequencies().tolist() == [360, 360]
        assert reader.getStartdatetime().isoformat() == "2024-03-01T08:00:00"
        digital = np.column_stack([reader.readSignal(i, digital=True) for i in range(2)])
        physical = np.column_stack([reader.readSignal(i) for i in range(2)])
    finally:
        reader.close()
    np.testing.assert_array_equal(digital, signals.mitdb(60))
    np.testing.assert_allclose(physical, signals.millivolts(signals.mitdb(60)), atol=1e-9)


def test_edf_pads_the_last_data_record_with_zero_millivolts(as_dana, recording, tmp_path):
    response = as_dana.get(_url(recording), {"format": "edf", "end": _at(1.5)})

    path = tmp_path / "rec.edf"
    path.write_bytes(_content(response))
    reader = pyedflib.EdfReader(str(path))
    try:
        lead = reader.readSignal(0)
    finally:
        reader.close()
    assert len(lead) == 720
    np.testing.assert_allclose(lead[:540], signals.millivolts(signals.mitdb(1.5))[:, 0])
    assert not lead[540:].any()


def test_csv_is_read_back_by_numpy_and_uploads_again_identically(
    as_dana, as_alice, recording, device
):
    response = as_dana.get(_url(recording), {"format": "csv", "start": _at(10), "end": _at(40)})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = _content(response)
    assert content.startswith(b"MLII,V5\n")
    values = np.loadtxt(io.BytesIO(content), delimiter=",", skiprows=1)
    np.testing.assert_allclose(values, signals.millivolts(signals.mitdb(30, offset=10)))
    again = as_alice.post(
        "/api/v1/ecg/recordings/",
        signals.upload_fields(
            device=device,
            format="csv",
            data_id="again",
            file=SimpleUploadedFile("again.csv", content),
        ),
        format="multipart",
    )
    assert again.status_code == 201, again.content
    copy = Recording.objects.get(data_id="again")
    np.testing.assert_allclose(
        storage.physical(copy, storage.read_samples(copy, 0, 10**9)),
        signals.millivolts(signals.mitdb(30, offset=10)),
        atol=1e-9,
    )


def test_csv_keeps_the_decimals_a_finer_gain_needs():
    from heartmon.ecg.exports import csv_decimals

    assert csv_decimals([200.0, 1000.0], [1024.0, 0.0]) == 3
    assert csv_decimals([400.0], [0.0]) == 4
    assert csv_decimals([300.0], [0.0]) == 6  # thirds of a hundredth never end


def test_one_lead_can_be_exported(as_dana, recording):
    response = as_dana.get(_url(recording), {"format": "csv", "leads": "V5", "end": _at(1)})

    lines = _content(response).decode().splitlines()
    assert lines[0] == "V5"
    assert len(lines) == 361


def test_exports_are_audited(as_dana, dana, recording):
    as_dana.get(_url(recording), {"format": "edf"})

    event = AuditEvent.objects.get(action="ecg.exported")
    assert (event.actor, event.patient_id) == (dana, recording.patient_id)
    assert event.details["query"] == "format=edf"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "format"),
        ({"format": "mat"}, "format"),
        ({"format": "csv", "start": _at(100)}, "start"),
        ({"format": "csv", "leads": "II"}, "leads"),
    ],
)
def test_bad_parameters_are_refused(as_dana, recording, query, field):
    assert_problem(as_dana.get(_url(recording), query), 400, field=field)
    assert not AuditEvent.objects.filter(action="ecg.exported").exists()


def test_nurses_may_export_technicians_and_staff_may_not(as_bob, as_tess, as_sam, recording):
    assert as_bob.get(_url(recording), {"format": "csv"}).status_code == 200
    assert_problem(as_tess.get(_url(recording), {"format": "csv"}), 403)
    assert_problem(as_sam.get(_url(recording), {"format": "csv"}), 403)


def test_another_organizations_recording_is_not_found(as_charlie, recording):
    assert_problem(as_charlie.get(_url(recording), {"format": "csv"}), 404)


def test_the_exported_files_leave_nothing_behind(as_dana, recording, tmp_path, monkeypatch):
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    for format_name in ("wfdb", "edf"):
        assert _content(as_dana.get(_url(recording), {"format": format_name}))

    assert not any(scratch.iterdir())  # the open answer files have no name left on disk
