import io
from datetime import timedelta

import orjson
import pytest
import time_machine
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from heartmon.audit.models import AuditEvent
from heartmon.fhir import writer
from heartmon.fhir.models import ExportJob, ExportStatus
from heartmon.fhir.tests.fhir_checks import assert_outcome, valid
from heartmon.telemetry.tests.seed import seed

ASYNC = {"HTTP_PREFER": "respond-async", "HTTP_ACCEPT": "application/fhir+json"}


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FHIR_EXPORT_FILE_RESOURCES = 3


@pytest.fixture
def readings(monitored, patient):
    return seed(monitored, patient, values=(70, 71, 72, 73, 74))


@pytest.fixture
def kick_off(django_capture_on_commit_callbacks):
    """Ask for an export and let its task run (eagerly, after the request's commit)."""

    def ask(client, path="/fhir/R4/$export", **params):
        with django_capture_on_commit_callbacks(execute=True):
            return client.get(path, params, **ASYNC)

    return ask


def status_path(response):
    assert response.status_code == 202, response.content
    return response["Content-Location"].removeprefix("http://testserver")


def lines(client, url):
    response = client.get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+ndjson"
    return [valid(orjson.loads(line)) for line in b"".join(response.streaming_content).splitlines()]


def test_an_export_runs_to_a_manifest_of_ndjson_files(as_dana, kick_off, readings, patient):
    status = status_path(kick_off(as_dana))

    response = as_dana.get(status)

    assert response.status_code == 200
    manifest = response.json()
    assert manifest["requiresAccessToken"] is True
    assert manifest["request"].endswith("/fhir/R4/$export")
    assert "Expires" in response
    by_type: dict[str, list[dict]] = {}
    for output in manifest["output"]:
        resources = lines(as_dana, output["url"])
        assert len(resources) == output["count"] <= 3
        by_type.setdefault(output["type"], []).extend(resources)
    assert set(by_type) == {"Patient", "Location", "Encounter", "Device", "Observation"} - {
        "Encounter",
        "Location",
    }
    assert {resource["id"] for resource in by_type["Observation"]} == {
        f"reading-{reading.pk}" for reading in readings
    }
    assert [resource["id"] for resource in by_type["Patient"]] == [str(patient.pk)]


def test_the_export_and_each_download_are_audited(as_dana, kick_off, readings, patient):
    manifest = as_dana.get(status_path(kick_off(as_dana))).json()
    observation = next(out for out in manifest["output"] if out["type"] == "Observation")
    lines(as_dana, observation["url"])

    exported = AuditEvent.objects.get(action="fhir.exported")
    assert exported.details["patient_ids"] == [str(patient.pk)]
    downloaded = AuditEvent.objects.get(action="fhir.export_downloaded")
    assert downloaded.patient_id == patient.pk


def test_type_and_since_narrow_the_export(as_dana, kick_off, readings):
    since = readings[0].received_at.isoformat()
    later = seed(
        readings[0].device,
        readings[0].patient,
        values=(90,),
        start=readings[-1].recorded_at + timedelta(minutes=1),
    )[0]
    type(later).objects.filter(pk=later.pk).update(
        received_at=readings[0].received_at + timedelta(seconds=1)
    )

    status = status_path(kick_off(as_dana, _type="Observation", _since=since))
    manifest = as_dana.get(status).json()

    assert {output["type"] for output in manifest["output"]} == {"Observation"}
    ids = [r["id"] for output in manifest["output"] for r in lines(as_dana, output["url"])]
    assert ids == [f"reading-{later.pk}"]


def test_a_patient_export_holds_the_patients_compartments(as_dana, kick_off, readings, ward):
    status = status_path(kick_off(as_dana, "/fhir/R4/Patient/$export"))
    manifest = as_dana.get(status).json()

    assert {output["type"] for output in manifest["output"]} == {"Patient", "Device", "Observation"}


def test_a_running_export_answers_202_with_its_progress(as_dana, readings):
    response = as_dana.get("/fhir/R4/$export", **ASYNC)  # its task never runs here

    polled = as_dana.get(status_path(response))

    assert polled.status_code == 202
    assert polled["X-Progress"] == "accepted"
    assert polled["Retry-After"] == "2"


def test_delete_cancels_and_deletes_the_files(as_dana, kick_off, readings):
    status = status_path(kick_off(as_dana))
    job = ExportJob.objects.get()
    names = [f"{job.prefix}/{file.name}" for file in job.files.all()]

    response = as_dana.delete(status)

    assert response.status_code == 202
    assert_outcome(as_dana.get(status), 404)
    assert not any(default_storage.exists(name) for name in names)
    assert AuditEvent.objects.filter(action="fhir.export_cancelled").exists()


def test_a_cancelled_export_never_runs(as_dana, django_capture_on_commit_callbacks, readings):
    with django_capture_on_commit_callbacks() as callbacks:
        status = status_path(as_dana.get("/fhir/R4/$export", **ASYNC))
    as_dana.delete(status)

    for callback in callbacks:
        callback()

    assert ExportJob.objects.get().status == ExportStatus.CANCELLED
    assert not ExportJob.objects.get().files.exists()


def test_files_expire_after_24_hours(as_dana, kick_off, readings):
    status = status_path(kick_off(as_dana))
    manifest = as_dana.get(status).json()
    job = ExportJob.objects.get()
    assert job.finished_at is not None
    assert job.expires_at == job.finished_at + timedelta(hours=24)

    with time_machine.travel(job.expires_at + timedelta(seconds=1)):
        assert_outcome(as_dana.get(status), 404)
        assert as_dana.get(manifest["output"][0]["url"]).status_code == 404
        call_command("purge_fhir_exports", stdout=io.StringIO())

    assert ExportJob.objects.get().status == ExportStatus.EXPIRED
    assert not default_storage.exists(
        f"{job.prefix}/{manifest['output'][0]['url'].rsplit('/', 1)[1]}"
    )


def test_only_the_requester_polls_and_downloads(as_dana, as_bob, as_charlie, kick_off, readings):
    status = status_path(kick_off(as_dana))
    url = as_dana.get(status).json()["output"][0]["url"].removeprefix("http://testserver")

    assert_outcome(as_bob.get(status), 404)
    assert_outcome(as_charlie.get(status), 404)
    assert_outcome(as_bob.get(url), 404)
    assert_outcome(as_bob.delete(status), 404)


@pytest.mark.parametrize(
    ("params", "headers", "status"),
    [
        ({"_outputFormat": "text/csv"}, ASYNC, 400),
        ({"_type": "Medication"}, ASYNC, 400),
        ({"_since": "last week"}, ASYNC, 400),
        ({"_typeFilter": "Observation?code=8867-4"}, ASYNC, 400),
        ({}, {}, 400),
    ],
)
def test_bad_kick_offs_are_refused_and_start_nothing(as_dana, readings, params, headers, status):
    assert_outcome(as_dana.get("/fhir/R4/$export", params, **headers), status)
    assert not ExportJob.objects.exists()


def test_a_technician_may_not_export_observations(as_tess, readings):
    response = as_tess.get("/fhir/R4/$export", {"_type": "Observation"}, **ASYNC)

    assert_outcome(response, 403, "forbidden")
    assert not ExportJob.objects.exists()


def test_a_technician_exports_only_what_the_role_reads(as_tess, kick_off, readings):
    manifest = as_tess.get(status_path(kick_off(as_tess))).json()

    assert {output["type"] for output in manifest["output"]} == {"Patient", "Device"}
    patient = lines(as_tess, next(o["url"] for o in manifest["output"] if o["type"] == "Patient"))
    assert all("telecom" not in resource for resource in patient)


def test_another_organization_exports_none_of_ours(as_charlie, kick_off, readings, org_b_patient):
    manifest = as_charlie.get(status_path(kick_off(as_charlie))).json()

    patients = [
        r for o in manifest["output"] if o["type"] == "Patient" for r in lines(as_charlie, o["url"])
    ]
    assert [resource["id"] for resource in patients] == [str(org_b_patient.pk)]
    assert all(output["type"] != "Observation" for output in manifest["output"])


def test_a_cancel_during_the_run_stops_it_and_keeps_no_file(
    as_dana, kick_off, readings, monkeypatch
):
    """The cancel lands just before the writer's progress check (a query wrapper plays the
    person pressing DELETE mid-export)."""
    monkeypatch.setattr(writer, "CHECK_SECONDS", 0)

    def cancel_first(execute, sql, params, many, context):
        if 'SET "progress"' in sql:
            ExportJob.objects.update(status=ExportStatus.CANCELLED)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(cancel_first):
        kick_off(as_dana, _type="Observation")

    job = ExportJob.objects.get()
    assert job.status == ExportStatus.CANCELLED
    assert not job.files.exists()
    assert not default_storage.exists(f"{job.prefix}/Observation-1.ndjson")


def test_an_export_whose_worker_died_has_failed(as_dana, readings):
    status = status_path(as_dana.get("/fhir/R4/$export", **ASYNC))  # its task never runs here
    job = ExportJob.objects.get()
    default_storage.save(f"{job.prefix}/Patient-1.ndjson", io.BytesIO(b"{}\n"))
    job.files.create(resource_type="Patient", name="Patient-1.ndjson", count=1)
    ExportJob.objects.update(
        status=ExportStatus.RUNNING, heartbeat_at=timezone.now() - timedelta(minutes=6)
    )

    body = assert_outcome(as_dana.get(status), 500, "exception")

    assert "ask again" in body["issue"][0]["diagnostics"]
    assert ExportJob.objects.get().status == ExportStatus.FAILED
    assert not job.files.exists()
    assert not default_storage.exists(f"{job.prefix}/Patient-1.ndjson")


def test_a_running_export_with_a_live_worker_keeps_running(as_dana, readings):
    status = status_path(as_dana.get("/fhir/R4/$export", **ASYNC))
    ExportJob.objects.update(status=ExportStatus.RUNNING, heartbeat_at=timezone.now())

    assert as_dana.get(status).status_code == 202


def test_a_third_export_at_once_waits(as_dana, readings):
    for _ in range(2):
        status_path(as_dana.get("/fhir/R4/$export", **ASYNC))  # their tasks never run here

    response = as_dana.get("/fhir/R4/$export", **ASYNC)

    assert_outcome(response, 429, "throttled")
    assert response["Retry-After"] == "60"
    assert ExportJob.objects.count() == 2
