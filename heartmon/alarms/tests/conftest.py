"""Alarm tests run what follows a commit (the engine, the alarm_changed signal) when each request
ends, as in production: the test's own transaction never commits."""

import pytest

from heartmon.alarms import hot
from heartmon.clinic.models import Admission


@pytest.fixture(autouse=True)
def _no_kept_limits():
    """Rules changed with a queryset's update() send no signal: start each test afresh."""
    hot.forget()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Call a client method and run the on-commit callbacks it left, returning its response."""

    def call(method, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return method(*args, **kwargs)

    return call


@pytest.fixture
def send(committed, as_device):
    """Send the device's batch (committed); returns the ingest result."""

    def send(items, client=None):
        response = committed((client or as_device).post, "/api/v1/readings/", items, format="json")
        assert response.status_code == 200, response.content
        return response.json()

    return send


@pytest.fixture
def admitted(patient, bed, alice):
    """The patient, admitted to the bed."""
    Admission.objects.create(
        organization=patient.organization,
        patient=patient,
        place=bed,
        bed=bed,
        reason="Pneumonia",
        admitted_by=alice,
    )
    return patient
