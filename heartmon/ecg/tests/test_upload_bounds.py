"""Out-of-bounds uploads are refused from what the file declares, before anything parses it at
length: headers larger than any real one, more signals than the device records, sample counts the
file's size disagrees with, multi-segment WFDB records, EDF records of no duration. (How fast:
`python -m bench.refusals`.) Nothing is stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from heartmon.core.testing import assert_problem
from heartmon.ecg.models import Recording
from heartmon.ecg.tests import signals


@pytest.fixture(autouse=True)
def _nothing_stored(db):
    yield
    assert not Recording.objects.exists()


def _file(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _wfdb(seconds: float = 2) -> tuple[bytes, bytes]:
    return signals.wfdb_files(signals.mitdb(seconds))


def _edf(**changes: bytes) -> bytes:
    """An EDF+ file of two leads, with fixed header fields replaced ({"duration": b"0"})."""
    content = bytearray(signals.edf_file(signals.mitdb(2)))
    places = {"records": (236, 244), "duration": (244, 252), "signals": (252, 256)}
    for name, value in changes.items():
        start, end = places[name]
        content[start:end] = value.ljust(end - start)
    return bytes(content)


def test_a_wfdb_header_larger_than_any_real_one_is_refused_unread(upload):
    header, data = _wfdb()
    padded = header + b"# a comment line of the kind a header may carry\n" * 1500

    problem = assert_problem(
        upload(header=_file("rec.hea", padded), file=_file("rec.dat", data)), 400, field="header"
    )

    assert "65,536" in problem["detail"]


def test_a_wfdb_header_with_more_signal_lines_than_the_device_records_is_refused(upload):
    header, data = _wfdb()
    lines = b"".join(b"rec.dat 212 200 11 1024 0 0 0 S%d\n" % index for index in range(1000))
    record_line, _ = header.split(b"\n", 1)

    problem = assert_problem(
        upload(header=_file("rec.hea", record_line + b"\n" + lines), file=_file("rec.dat", data)),
        400,
        field="file",
    )

    assert problem["detail"] == "The file has 1000 leads; the device records 3."


def test_a_wfdb_record_line_declaring_more_signals_than_the_device_records_is_refused(upload):
    header, _ = _wfdb()
    name, _, rest = header.partition(b" 2 ")

    response = upload(header=_file("rec.hea", name + b" 100000 " + rest))

    assert "100000 leads" in assert_problem(response, 400, field="file")["detail"]


def test_a_multi_segment_wfdb_header_is_refused(upload):
    header = b"multi/2 2 360 720\nseg1 360\nseg2 360\n"

    problem = assert_problem(upload(header=_file("multi.hea", header)), 400, field="header")

    assert "multi-segment" in problem["detail"]


def test_a_wfdb_signal_file_longer_than_its_header_says_is_refused(upload):
    header, _ = _wfdb(seconds=2)
    _, longer = _wfdb(seconds=3)

    problem = assert_problem(
        upload(header=_file("rec.hea", header), file=_file("rec.dat", longer)), 400, field="file"
    )

    assert "promises 720 samples" in problem["detail"]


def test_an_edf_record_of_no_duration_is_refused(upload):
    response = upload(format="edf", file=_file("rec.edf", _edf(duration=b"0")))

    assert "0 s" in assert_problem(response, 400, field="file")["detail"]


def test_an_edf_declaring_more_signals_than_the_device_records_is_refused(upload):
    response = upload(format="edf", file=_file("rec.edf", _edf(signals=b"9999")))

    assert "9999 leads" in assert_problem(response, 400, field="file")["detail"]


@pytest.mark.parametrize("records", [b"1", b"9"])
def test_an_edf_whose_size_disagrees_with_its_records_is_refused(upload, records):
    response = upload(format="edf", file=_file("rec.edf", _edf(records=records)))

    assert "Is it truncated?" in assert_problem(response, 400, field="file")["detail"]


def test_a_csv_header_row_past_its_limit_is_refused_unread(upload):
    names = ",".join(f"L{index}" for index in range(100_000)).encode()

    response = upload(format="csv", file=_file("rec.csv", names + b"\n0.1\n"))

    assert "first row is longer" in assert_problem(response, 400, field="file")["detail"]


def test_a_csv_naming_more_leads_than_the_device_records_is_refused(upload):
    response = upload(format="csv", file=_file("rec.csv", b"I,II,III,V1\n0,0,0,0\n"))

    assert "4 leads" in assert_problem(response, 400, field="file")["detail"]


def test_int16_naming_more_leads_than_the_device_records_is_refused(upload):
    leads = ",".join(f"L{index}" for index in range(10_000))

    response = upload(format="int16", leads=leads, file=_file("rec.bin", bytes(40_000)))

    assert "10000 leads" in assert_problem(response, 400, field="leads")["detail"]
