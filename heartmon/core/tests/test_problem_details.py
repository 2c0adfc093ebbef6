"""Every error under /api/, from every layer, is RFC 9457 problem details; elsewhere stays HTML.

Views that misbehave on purpose live in this module's own URLconf (`urls(__name__)`)."""

import logging

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import include, path
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from heartmon.core.errors import PROBLEM_CONTENT_TYPE, DomainError
from heartmon.core.middleware import RequestIdLogFilter
from heartmon.core.testing import assert_problem

SECRET_INTERNALS = "db password is hunter2"


class ReadingSerializer(serializers.Serializer[None]):
    bpm = serializers.IntegerField(min_value=20, max_value=300)
    tags = serializers.ListField(child=serializers.CharField(max_length=5))


class EchoView(APIView):
    permission_classes = [AllowAny]

    def post(self, request: Request) -> Response:
        serializer = ReadingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(serializer.validated_data)


class OncePerMinuteThrottle(AnonRateThrottle):
    rate = "1/min"


class ThrottledView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [OncePerMinuteThrottle]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})


class BrokenApiView(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        raise RuntimeError(SECRET_INTERNALS)


class ClosedWardView(APIView):
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        raise DomainError("The ward is closed.", code="ward_closed")


def broken_plain_view(request: HttpRequest) -> HttpResponse:
    raise RuntimeError(SECRET_INTERNALS)


def plain_form(request: HttpRequest) -> HttpResponse:
    return HttpResponse("accepted")


urlpatterns = [
    path("api/test/echo/", EchoView.as_view()),
    path("api/test/throttled/", ThrottledView.as_view()),
    path("api/test/broken/", BrokenApiView.as_view()),
    path("api/test/closed-ward/", ClosedWardView.as_view()),
    path("api/test/broken-plain/", broken_plain_view),
    path("api/test/form/", plain_form),
    path("form/", plain_form),
    path("", include("heartmon.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def quiet_client() -> Client:
    """A client that returns 500 answers instead of re-raising the view's exception."""
    return Client(raise_request_exception=False)


def test_an_unknown_api_url_is_a_404_problem_even_with_debug_on(api, settings):
    settings.DEBUG = True

    body = assert_problem(api.get("/api/v1/no-such-thing/"), 404)

    assert body["type"] == "urn:heartmon:problem:not-found"
    assert body["instance"] == "/api/v1/no-such-thing/"


def test_an_unknown_url_outside_the_api_stays_an_html_page(api):
    response = api.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_wrong_method_is_a_405_problem_naming_the_allowed_ones(api):
    response = api.delete("/api/test/echo/")

    assert_problem(response, 405)
    assert "POST" in response["Allow"]


def test_an_unsatisfiable_accept_header_is_a_406_problem(api):
    response = api.post("/api/test/echo/", {"bpm": 60, "tags": []}, HTTP_ACCEPT="text/html")

    assert_problem(response, 406)


def test_a_body_in_an_unsupported_media_type_is_a_415_problem(api):
    response = api.post("/api/test/echo/", "bpm=60", content_type="text/plain")

    body = assert_problem(response, 415)
    assert body["type"] == "urn:heartmon:problem:unsupported-media-type"


def test_malformed_json_is_a_400_parse_error(api):
    response = api.post("/api/test/echo/", '{"bpm": 60,', content_type="application/json")

    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:parse-error"


def test_invalid_input_lists_the_messages_of_each_field(api):
    response = api.post("/api/test/echo/", {"bpm": 0, "tags": ["ok", "far too long"]})

    body = assert_problem(response, 400)
    assert body["type"] == "urn:heartmon:problem:validation-error"
    assert body["errors"] == {
        "bpm": ["Ensure this value is greater than or equal to 20."],
        "tags.1": ["Ensure this field has no more than 5 characters."],
    }
    assert body["detail"].startswith("bpm: Ensure this value")


def test_missing_fields_on_a_real_endpoint_are_field_errors(api):
    body = assert_problem(api.post("/api/v1/auth/register/", {}), 400)

    assert {"email", "password", "organization_name"} <= set(body["errors"])


def test_an_anonymous_request_to_a_protected_endpoint_is_a_401_problem(api):
    response = api.get("/api/v1/auth/me/")

    body = assert_problem(response, 401)
    assert body["type"] == "urn:heartmon:problem:not-authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_throttled_request_is_a_429_problem_with_retry_after(api):
    assert api.get("/api/test/throttled/").status_code == 200

    response = api.get("/api/test/throttled/")

    assert_problem(response, 429)
    assert 1 <= int(response["Retry-After"]) <= 60


def test_a_domain_error_is_a_problem_with_its_own_type(api):
    body = assert_problem(api.get("/api/test/closed-ward/"), 400)

    assert body["type"] == "urn:heartmon:problem:ward-closed"
    assert body["detail"] == "The ward is closed."


def test_an_unhandled_exception_is_a_500_problem_without_internals_logged_with_its_id(api, caplog):
    caplog.handler.addFilter(RequestIdLogFilter())

    with caplog.at_level(logging.ERROR):
        response = api.get("/api/test/broken/", HTTP_X_REQUEST_ID="trace-500-abcdef")

    body = assert_problem(response, 500)
    assert body["request_id"] == "trace-500-abcdef"
    assert SECRET_INTERNALS not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    logged = [r for r in caplog.records if r.exc_info and SECRET_INTERNALS in str(r.exc_info[1])]
    assert logged
    assert all(record.request_id == "trace-500-abcdef" for record in logged)


@pytest.mark.parametrize("debug", [False, True])
def test_an_exception_outside_drf_is_still_a_500_problem(quiet_client, settings, debug):
    settings.DEBUG = debug

    response = quiet_client.get("/api/test/broken-plain/")

    assert_problem(response, 500)
    assert SECRET_INTERNALS not in response.content.decode()


def test_a_csrf_failure_under_the_api_is_a_403_problem():
    client = Client(enforce_csrf_checks=True)

    body = assert_problem(client.post("/api/test/form/"), 403)

    assert body["type"] == "urn:heartmon:problem:csrf-failed"


def test_a_csrf_failure_outside_the_api_stays_django_s_page():
    response = Client(enforce_csrf_checks=True).post("/form/")

    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")


def test_a_sane_request_id_is_echoed(api):
    response = api.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a9c21-0001")

    assert response["X-Request-ID"] == "lb-7f3a9c21-0001"


@pytest.mark.parametrize("offered", ["", "short", "x" * 65, "bad id\nwith newline", "<script>"])
def test_a_malformed_request_id_is_replaced_by_a_generated_one(api, offered):
    response = api.get("/api/v1/nowhere/", HTTP_X_REQUEST_ID=offered)

    request_id = response["X-Request-ID"]
    assert request_id != offered
    assert len(request_id) == 32
    assert response.json()["request_id"] == request_id
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
