"""JSON bodies nested without end answer 400, not a RecursionError's 500 (issue 13, item 8), on
every DRF endpoint: they all parse JSON with core.parsers.JSONParser."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework import parsers
from rest_framework.views import APIView

from heartmon.core import parsers as core_parsers
from heartmon.core.parsers import MAX_DEPTH, deeper_than
from heartmon.core.testing import assert_problem

pytestmark = pytest.mark.django_db

DEEP = "[" * 100_000 + "]" * 100_000
OVER_THE_LIMIT = '{"a": ' + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "}"


def _views(resolver: URLResolver) -> list[type[APIView]]:
    found: list[type[APIView]] = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            found += _views(pattern)
        elif isinstance(pattern, URLPattern) and hasattr(pattern.callback, "cls"):
            found.append(pattern.callback.cls)
    return found


def test_every_drf_view_parses_json_with_the_depth_limited_parser():
    views = _views(get_resolver())
    json_parsers = {
        (view.__name__, parser.__name__)
        for view in views
        for parser in view.parser_classes
        if issubclass(parser, parsers.JSONParser)
    }

    assert len(views) > 40
    assert json_parsers
    assert {parser for _, parser in json_parsers} == {core_parsers.JSONParser.__name__}


@pytest.mark.parametrize(
    ("data", "depth", "deeper"),
    [
        (1, 0, False),
        ([], 0, True),
        ([], 1, False),
        ([[1]], 1, True),
        ([{"a": [1]}], 2, True),
        ([{"a": [1]}], 3, False),
        ([{"a": 1}] * 10_000, 2, False),
    ],
)
def test_depth_is_counted_in_arrays_and_objects(data, depth, deeper):
    assert deeper_than(data, depth) is deeper


def test_a_body_nested_100000_deep_answers_400_to_anyone(anonymous):
    for url in ("/api/v1/auth/token/", "/api/v1/auth/register/", "/api/v1/auth/password/reset/"):
        response = anonymous.post(url, DEEP, content_type="application/json")

        body = assert_problem(response, 400)
        assert body["type"] == "urn:heartmon:problem:parse-error"


def test_a_body_nested_deeper_than_the_limit_stores_nothing(as_alice, monitored):
    patients = as_alice.post("/api/v1/patients/", OVER_THE_LIMIT, content_type="application/json")
    settings = as_alice.put(
        f"/api/v1/devices/{monitored.pk}/settings/",
        '{"document": ' + DEEP + "}",
        content_type="application/json",
    )

    assert "deeper than" in assert_problem(patients, 400)["detail"]
    assert_problem(settings, 400)
    assert as_alice.get("/api/v1/patients/").json()["count"] == 1


def test_a_device_batch_nested_100000_deep_answers_400(as_device):
    for url in ("/api/v1/readings/", "/api/v1/heart-rates/"):
        assert_problem(as_device.post(url, DEEP, content_type="application/json"), 400)


def test_json_without_nan_or_infinity_is_still_strict(anonymous):
    body = '{"email": "a@example.com", "password": NaN}'

    response = anonymous.post("/api/v1/auth/token/", body, content_type="application/json")

    assert_problem(response, 400)
