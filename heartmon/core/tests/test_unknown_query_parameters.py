"""A list answers 400 to a query parameter it does not document, naming it and the ones it takes
(issue 13, "also found": `?ward=` on readings answered unfiltered data); every parameter the
schema documents is taken."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from heartmon.core.testing import assert_problem

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _gets(schema, ids):
    """Every GET of the schema whose path parameters the cast can fill, with its query names."""
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None or ("{id}" in path and not path.startswith("/api/v1/devices/")):
            continue  # the cast's `id` is a device's
        try:
            url = path.format(**ids)
        except KeyError:
            continue
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        yield url, names


@pytest.fixture
def ids(patient, device):
    return {"patient_pk": patient.pk, "device_pk": device.pk, "id": device.pk}


def test_every_list_refuses_a_parameter_it_does_not_document(as_alice, schema, ids):
    lists = [(url, names) for url, names in _gets(schema, ids) if "limit" in names]

    for url, names in lists:
        body = assert_problem(as_alice.get(url, {"ward": "x"}), 400)

        assert body["type"] == "urn:heartmon:problem:unknown-parameter", url
        assert "'ward'" in body["detail"]
        assert set(names) <= set(body["allowed"]), url
    assert len(lists) > 15


def test_no_documented_parameter_is_refused_as_unknown(as_alice, schema, ids):
    for url, names in _gets(schema, ids):
        for name in names:
            response = as_alice.get(url, {name: "1"})

            if response.status_code == 400:
                assert response.json()["type"] != "urn:heartmon:problem:unknown-parameter", (
                    url,
                    name,
                )


def test_a_nurse_filtering_readings_by_ward_is_told_the_filters_there_are(as_bob, patient):
    response = as_bob.get("/api/v1/readings/", {"patient": patient.pk, "ward": "3"})

    body = assert_problem(response, 400, field="ward")
    assert "patient" in body["allowed"]
    assert "start" in body["detail"]


@pytest.mark.parametrize(
    "url", ["/api/v1/readings/aggregate/?patient={patient}", "/api/v1/ecg/data/?patient={patient}"]
)
def test_queries_read_by_a_serializer_refuse_unknown_parameters_too(as_alice, patient, url):
    response = as_alice.get(url.format(patient=patient.pk) + "&place=1")

    assert_problem(response, 400, field="place")


def test_the_csv_export_refuses_unknown_parameters(as_alice):
    response = as_alice.get("/api/v1/readings/", {"format": "csv", "ward": "3"})

    assert_problem(response, 400, field="ward")
