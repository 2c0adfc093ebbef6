import numpy as np
import orjson
import pytest

from heartmon.core.actor import Actor
from heartmon.ecg.models import Recording
from heartmon.ecg.services.analysis import analyse_recording
from heartmon.ecg.tests import signals
from heartmon.fhir.tests.fhir_checks import assert_outcome, fhir_json, valid
from heartmon.telemetry.models import Reading, Source

URL = "/fhir/R4/Observation"
MDC = "urn:oid:2.16.840.1.113883.6.24"


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path / "uploads"
    settings.FILE_UPLOAD_TEMP_DIR.mkdir()


@pytest.fixture
def recording(as_alice, monitored):
    """25 s of record 100 as leads II and V5, int16 (gain 200, baseline 1024): 3 segments."""
    body = signals.upload_fields(device=monitored, format="int16", seconds=25, leads="II,V5")
    response = as_alice.post("/api/v1/ecg/recordings/", body, format="multipart")
    assert response.status_code == 201, response.content
    return Recording.objects.get(pk=response.json()["id"])


def test_a_segment_holds_ten_seconds_of_each_lead(as_dana, recording, patient, monitored):
    body = fhir_json(as_dana.get(f"{URL}/ecg-{recording.pk}-1"))

    assert body["code"]["coding"][0]["code"] == "131328"
    assert body["subject"] == {"reference": f"Patient/{patient.pk}"}
    assert body["device"] == {"reference": f"Device/{monitored.pk}"}
    assert body["effectivePeriod"] == {
        "start": "2024-03-01T08:00:10Z",
        "end": "2024-03-01T08:00:20Z",
    }
    lead_ii, v5 = body["component"]
    assert lead_ii["code"]["coding"][0] == {
        "system": MDC,
        "code": "131330",
        "display": "MDC_ECG_ELEC_POTL_II",
    }
    assert v5["code"]["coding"][0]["code"] == "131335"
    sampled = lead_ii["valueSampledData"]
    assert sampled["period"] == pytest.approx(1000 / 360)
    assert sampled["factor"] == pytest.approx(1 / 200)
    assert sampled["origin"] == {
        "value": pytest.approx(-1024 / 200),
        "unit": "mV",
        "system": "http://unitsofmeasure.org",
        "code": "mV",
    }
    data = np.array(sampled["data"].split(), dtype=int)
    assert np.array_equal(data, signals.mitdb(10, offset=10)[:, 0])


def test_the_last_segment_is_shorter(as_dana, recording):
    body = fhir_json(as_dana.get(f"{URL}/ecg-{recording.pk}-2"))

    assert body["effectivePeriod"]["end"] == "2024-03-01T08:00:25Z"
    assert len(body["component"][0]["valueSampledData"]["data"].split()) == 5 * 360
    assert_outcome(as_dana.get(f"{URL}/ecg-{recording.pk}-3"), 404)


def test_the_ecg_code_searches_the_segments_in_pages(as_dana, recording, patient):
    params = {"patient": str(patient.pk), "code": f"{MDC}|131328", "_count": 2}
    first = fhir_json(as_dana.get(URL, params))
    links = {link["relation"]: link["url"] for link in first["link"]}
    second = fhir_json(as_dana.get(links["next"]))

    ids = [entry["resource"]["id"] for entry in first["entry"] + second["entry"]]
    assert ids == [f"ecg-{recording.pk}-{index}" for index in range(3)]
    assert "next" not in {link["relation"] for link in second["link"]}


def test_the_procedure_category_selects_the_segments(as_dana, recording):
    body = fhir_json(as_dana.get(URL, {"category": "procedure"}))

    assert len(body["entry"]) == 3
    assert all(entry["resource"]["id"].startswith("ecg-") for entry in body["entry"])


def test_a_date_selects_the_segments_that_start_in_it(as_dana, recording):
    params = {"code": "131328", "date": ["ge2024-03-01T08:00:05Z", "lt2024-03-01T08:00:20Z"]}
    body = fhir_json(as_dana.get(URL, params))

    assert [entry["resource"]["id"] for entry in body["entry"]] == [f"ecg-{recording.pk}-1"]


def test_a_derived_heart_rate_names_its_segment(as_dana, recording):
    analyse_recording(recording_id=recording.pk, actor=Actor.of_system("test"))
    reading = Reading.objects.filter(source=Source.ECG).latest("recorded_at")

    body = fhir_json(as_dana.get(f"{URL}/reading-{reading.pk}"))

    second = (reading.recorded_at - recording.start_time).total_seconds()
    assert body["derivedFrom"] == [
        {"reference": f"Observation/ecg-{recording.pk}-{int(second // 10)}"}
    ]
    assert body["method"]["text"] == "Derived from the ECG recording"


def test_a_search_without_code_merges_readings_and_segments_by_date(as_dana, recording):
    analyse_recording(recording_id=recording.pk, actor=Actor.of_system("test"))

    body = fhir_json(as_dana.get(URL, {"_count": 1000}))

    times = [
        entry["resource"].get("effectiveDateTime") or entry["resource"]["effectivePeriod"]["start"]
        for entry in body["entry"]
    ]
    assert times == sorted(times)
    assert sum(entry["resource"]["id"].startswith("ecg-") for entry in body["entry"]) == 3


def test_another_organization_cannot_read_a_segment(as_charlie, recording):
    assert_outcome(as_charlie.get(f"{URL}/ecg-{recording.pk}-0"), 404)


@pytest.mark.parametrize("order", ["date", "-date"])
@pytest.mark.parametrize("segments_a_page", [1, 20])
def test_pages_over_readings_and_segments_hold_each_once(
    as_dana, recording, order, segments_a_page, settings
):
    analyse_recording(recording_id=recording.pk, actor=Actor.of_system("test"))
    whole = fhir_json(as_dana.get(URL, {"_count": 1000, "_sort": order}))
    settings.FHIR_ECG_SEGMENTS_PER_PAGE = segments_a_page

    url: str | None = f"{URL}?_count=7&_sort={order}"
    paged = []
    while url:
        body = fhir_json(as_dana.get(url))
        paged += [entry["resource"]["id"] for entry in body["entry"]]
        url = {link["relation"]: link["url"] for link in body["link"]}.get("next")

    assert paged == [entry["resource"]["id"] for entry in whole["entry"]]
    assert len(set(paged)) == len(paged) > 7


def test_a_bulk_export_holds_every_segment_whole(
    as_dana, recording, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kicked = as_dana.get(
            "/fhir/R4/$export", {"_type": "Observation"}, HTTP_PREFER="respond-async"
        )
    status = kicked["Content-Location"].removeprefix("http://testserver")
    [output] = as_dana.get(status).json()["output"]
    response = as_dana.get(output["url"].removeprefix("http://testserver"))
    lines = b"".join(response.streaming_content).splitlines()

    segments = [valid(orjson.loads(line)) for line in lines]
    assert [segment["id"] for segment in segments] == [
        f"ecg-{recording.pk}-{index}" for index in range(3)
    ]
    exported = np.concatenate(
        [
            np.array(s["component"][1]["valueSampledData"]["data"].split(), dtype=int)
            for s in segments
        ]
    )
    assert np.array_equal(exported, signals.mitdb(25)[:, 1])


def test_a_page_holds_few_segments_and_keeps_date_order(as_dana, recording, settings):
    """With two segments a page, readings after the second segment wait for the next page."""
    analyse_recording(recording_id=recording.pk, actor=Actor.of_system("test"))
    whole = fhir_json(as_dana.get(URL, {"_count": 1000}))
    settings.FHIR_ECG_SEGMENTS_PER_PAGE = 2

    first = fhir_json(as_dana.get(URL, {"_count": 1000}))
    ids = [entry["resource"]["id"] for entry in first["entry"]]

    assert sum(found.startswith("ecg-") for found in ids) == 2
    assert ids == [entry["resource"]["id"] for entry in whole["entry"]][: len(ids)]
    assert len(ids) < len(whole["entry"])
    assert "next" in {link["relation"] for link in first["link"]}
