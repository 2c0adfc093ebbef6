"""GET /api/v1/readings/?format=csv: the whole window streamed as CSV, filters applied, audited;
errors stay problem details."""

import csv
import io
from datetime import timedelta

import pytest
from django.http import StreamingHttpResponse

from heartmon.audit.models import AuditAction, AuditEvent
from heartmon.core.testing import assert_problem
from heartmon.telemetry.models import Metric
from heartmon.telemetry.tests.seed import NOW, T0, seed

URL = "/api/v1/readings/"


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def rows(response):
    assert response.status_code == 200, response.content
    assert isinstance(response, StreamingHttpResponse)
    text = response.getvalue().decode()
    return list(csv.reader(io.StringIO(text)))


def test_a_doctor_exports_a_window_as_csv(as_bob, device, patient):
    seed(device, patient, values=(70, 71.5))

    response = as_bob.get(URL, {"format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="readings.csv"'
    assert rows(response) == [
        ["recorded_at", "metric", "value", "device_id", "patient_id", "source"],
        [
            "2026-11-20T08:00:00+00:00",
            "heart_rate",
            "70.0",
            str(device.pk),
            str(patient.pk),
            "device",
        ],
        [
            "2026-11-20T08:01:00+00:00",
            "heart_rate",
            "71.5",
            str(device.pk),
            str(patient.pk),
            "device",
        ],
    ]


def test_accept_text_csv_asks_for_the_export_too(as_bob, device):
    seed(device, values=(70,))

    assert len(rows(as_bob.get(URL, HTTP_ACCEPT="text/csv"))) == 2


def test_filters_and_ordering_apply(as_bob, device, patient):
    seed(device, patient, values=(70, 71, 72))
    seed(device, values=(97,), metric=Metric.SPO2)

    exported = rows(
        as_bob.get(
            URL,
            {
                "format": "csv",
                "metric": "heart_rate",
                "start": "2026-11-20T08:01:00Z",
                "ordering": "-recorded_at",
            },
        )
    )

    assert [row[2] for row in exported[1:]] == ["72.0", "71.0"]


def test_a_large_window_streams_past_any_page_size(as_bob, device):
    seed(device, values=[60 + i % 50 for i in range(12_000)], start=T0, step=timedelta(seconds=1))

    exported = rows(as_bob.get(URL, {"format": "csv"}))

    assert len(exported) == 12_001
    assert exported[-1][0] == (T0 + timedelta(seconds=11_999)).isoformat()


def test_the_export_is_audited_with_every_patient_in_it(as_bob, bob, device, patient, org_a):
    other = patient.__class__.objects.create(
        organization=org_a, patient_number="P-2", given_name="Bo", family_name="Li"
    )
    seed(device, patient, values=(70,))
    seed(device, other, values=(71,), start=T0 + timedelta(hours=1))

    rows(as_bob.get(URL, {"format": "csv"}))

    event = AuditEvent.objects.get(action=AuditAction.READINGS_EXPORTED)
    assert event.actor == bob
    assert event.patient_id is None  # several patients: named in the details
    assert event.details["patient_ids"] == sorted([str(patient.pk), str(other.pk)])


def test_a_bad_filter_is_a_json_problem(as_bob, device):
    assert_problem(as_bob.get(URL, {"format": "csv", "start": "soon"}), 400, field="start")


def test_another_organizations_readings_are_not_exported(as_charlie, device):
    seed(device, values=(70,))

    assert rows(as_charlie.get(URL, {"format": "csv"})) == [
        ["recorded_at", "metric", "value", "device_id", "patient_id", "source"]
    ]


def test_a_technician_may_not_export(as_tess, device):
    assert_problem(as_tess.get(URL, {"format": "csv"}), 403)
