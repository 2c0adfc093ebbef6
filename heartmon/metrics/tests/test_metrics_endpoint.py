"""GET /metrics: the Prometheus text format for the holder of METRICS_TOKEN only; requests are
counted by view and status, and no label carries an id."""

import pytest

from heartmon.core.testing import assert_problem

TOKEN = "scrape-token-for-tests"
URL = "/metrics"


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN
    return TOKEN


def scrape(client, token=TOKEN):
    return client.get(URL, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_it_serves_the_prometheus_text_format_to_the_token(anonymous, token):
    response = scrape(anonymous)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    body = response.content.decode()
    assert "# TYPE heartmon_readings_stored_total counter" in body
    assert "# TYPE heartmon_ecg_analysis_seconds histogram" in body


def test_it_refuses_a_wrong_token(anonymous, token):
    response = scrape(anonymous, token="not-the-token")

    assert_problem(response, 401)
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'


def test_it_refuses_a_request_without_a_token(anonymous, token):
    assert_problem(anonymous.get(URL), 401)


def test_a_signed_in_user_is_no_scraper(as_alice, token):
    assert_problem(as_alice.get(URL), 401)


def test_it_is_not_served_without_a_token_setting(anonymous, settings):
    settings.METRICS_TOKEN = ""

    assert scrape(anonymous, token="").status_code == 404


def test_it_only_answers_get(anonymous, token):
    response = anonymous.post(URL, HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 405


def test_requests_are_counted_by_view_and_status_without_ids(anonymous, as_bob, patient, token):
    assert as_bob.get(f"/api/v1/patients/{patient.pk}/").status_code == 200

    body = scrape(anonymous).content.decode()

    counted = [
        line
        for line in body.splitlines()
        if line.startswith("django_http_responses_total_by_status_view_method_total{")
    ]
    assert any('view="patient-detail"' in line and 'status="200"' in line for line in counted)
    assert str(patient.pk) not in body
