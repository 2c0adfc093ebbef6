from datetime import timedelta

import pytest

from heartmon.audit.models import AuditEvent
from heartmon.fhir.tests.fhir_checks import assert_outcome, fhir_json
from heartmon.telemetry.models import Metric, Reading
from heartmon.telemetry.tests.seed import T0, seed

URL = "/fhir/R4/Observation"


@pytest.fixture
def vitals(monitored, patient):
    """Heart rates 70-74 a minute apart from T0, an SpO2, a respiration rate, a temperature."""
    heart = seed(monitored, patient, values=(70, 71, 72, 73, 74))
    other = [
        seed(monitored, patient, values=(value,), metric=metric)[0]
        for metric, value in (
            (Metric.SPO2, 97),
            (Metric.RESP_RATE, 16),
            (Metric.TEMPERATURE, 36.8),
        )
    ]
    return heart + other


def ids(bundle):
    return [entry["resource"]["id"] for entry in bundle.get("entry", [])]


def test_each_vital_sign_reads_as_its_profile(as_dana, vitals, patient, monitored):
    expected = {
        "heart_rate": ("8867-4", "/min", "heartrate"),
        "spo2": ("2708-6", "%", "oxygensat"),
        "resp_rate": ("9279-1", "/min", "resprate"),
        "temperature": ("8310-5", "Cel", "bodytemp"),
    }
    for reading in vitals[4:]:
        body = fhir_json(as_dana.get(f"{URL}/reading-{reading.pk}"))
        code, unit, profile = expected[reading.metric]
        assert body["code"]["coding"][0] == {
            "system": "http://loinc.org",
            "code": code,
            "display": body["code"]["coding"][0]["display"],
        }
        assert body["valueQuantity"]["code"] == unit
        assert body["meta"]["profile"][-1].endswith(profile)
        assert body["subject"] == {"reference": f"Patient/{patient.pk}"}
        assert body["device"] == {"reference": f"Device/{monitored.pk}"}
        assert body["category"][0]["coding"][0]["code"] == "vital-signs"


def test_spo2_carries_both_loinc_codes(as_dana, vitals):
    spo2 = vitals[5]
    body = fhir_json(as_dana.get(f"{URL}/reading-{spo2.pk}"))

    assert [coding["code"] for coding in body["code"]["coding"]] == ["2708-6", "59408-5"]


def test_a_search_by_patient_and_code_finds_the_heart_rates(as_dana, vitals, patient):
    body = fhir_json(as_dana.get(URL, {"patient": str(patient.pk), "code": "8867-4"}))

    assert ids(body) == [f"reading-{reading.pk}" for reading in vitals[:5]]


def test_a_code_with_its_system_matches_too(as_dana, vitals):
    body = fhir_json(as_dana.get(URL, {"code": "http://loinc.org|59408-5"}))

    assert ids(body) == [f"reading-{vitals[5].pk}"]


def test_date_prefixes_bound_the_search(as_dana, vitals):
    minute = timedelta(minutes=1)
    params = {
        "code": "8867-4",
        "date": [f"ge{(T0 + minute).isoformat()}", f"lt{(T0 + 3 * minute).isoformat()}"],
    }
    body = fhir_json(as_dana.get(URL, params))

    assert ids(body) == [f"reading-{reading.pk}" for reading in vitals[1:3]]


def test_gt_and_le_exclude_and_include_the_moment(as_dana, vitals):
    minute = timedelta(minutes=1)
    params = {
        "code": "8867-4",
        "date": [f"gt{T0.isoformat()}", f"le{(T0 + 2 * minute).isoformat()}"],
    }
    body = fhir_json(as_dana.get(URL, params))

    assert ids(body) == [f"reading-{reading.pk}" for reading in vitals[1:3]]


def test_a_date_means_that_whole_day(as_dana, vitals):
    body = fhir_json(as_dana.get(URL, {"date": T0.date().isoformat(), "_count": 100}))
    assert len(ids(body)) == len(vitals)

    next_day = (T0 + timedelta(days=1)).date().isoformat()
    assert ids(fhir_json(as_dana.get(URL, {"date": next_day}))) == []


def test_pages_follow_next_links_newest_first(as_dana, vitals):
    url: str | None = f"{URL}?code=8867-4&_sort=-date&_count=2"
    seen = []
    while url:
        body = fhir_json(as_dana.get(url))
        seen += ids(body)
        links = {link["relation"]: link["url"] for link in body["link"]}
        url = links.get("next")

    assert seen == [f"reading-{reading.pk}" for reading in reversed(vitals[:5])]


def test_last_updated_finds_readings_received_since(as_dana, vitals):
    late = vitals[0]
    Reading.objects.update(received_at=T0)
    Reading.objects.filter(pk=late.pk).update(received_at=T0 + timedelta(days=2))
    since = (T0 + timedelta(days=1)).isoformat()

    body = fhir_json(as_dana.get(URL, {"_lastUpdated": f"gt{since}"}))

    assert ids(body) == [f"reading-{late.pk}"]


def test_the_search_is_audited_with_the_patients(as_dana, vitals, patient):
    as_dana.get(URL, {"code": "8867-4"})

    event = AuditEvent.objects.get(action="fhir.searched")
    assert event.patient_id == patient.pk
    assert event.details["resources"] == 5


def test_another_organizations_readings_are_not_found(as_charlie, vitals):
    assert_outcome(as_charlie.get(f"{URL}/reading-{vitals[0].pk}"), 404)
    assert ids(fhir_json(as_charlie.get(URL))) == []


@pytest.mark.parametrize("client", ["as_sam", "as_tess"])
def test_roles_that_read_no_readings_are_refused(client, request, vitals):
    response = request.getfixturevalue(client).get(URL)

    assert_outcome(response, 403, "forbidden")
    assert not AuditEvent.objects.filter(action__startswith="fhir.").exists()


@pytest.mark.parametrize(
    "params",
    [
        {"date": "yesterday"},
        {"date": "ge2026-13"},
        {"_count": "0"},
        {"_count": "many"},
        {"_sort": "value"},
        {"patient": "Patient/42"},
        {"_page": "not-a-position"},
        {"method": "ecg"},
    ],
)
def test_bad_search_parameters_are_refused(as_dana, vitals, params):
    assert_outcome(as_dana.get(URL, params), 400)
    assert not AuditEvent.objects.filter(action__startswith="fhir.").exists()


def test_a_reading_without_a_patient_claims_no_profile(as_dana, device):
    reading = seed(device, None, values=(65,))[0]

    body = fhir_json(as_dana.get(f"{URL}/reading-{reading.pk}"))

    assert "subject" not in body
    assert "profile" not in body["meta"]


def test_the_vital_signs_category_leaves_generic_readings_out(as_dana, vitals, monitored, patient):
    generic = seed(monitored, patient, values=(0.63,), metric=Metric.GENERIC)[0]

    signs = fhir_json(as_dana.get(URL, {"category": "vital-signs", "_count": 100}))
    everything = fhir_json(as_dana.get(URL, {"_count": 100}))

    assert f"reading-{generic.pk}" not in ids(signs)
    assert len(ids(signs)) == len(vitals)
    assert f"reading-{generic.pk}" in ids(everything)
