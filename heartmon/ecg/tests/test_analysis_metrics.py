"""ECG uploads are counted by format, and the analysis that follows is timed by outcome and
counted as a Celery task outcome (in-process here, in a worker in production)."""

from prometheus_client import REGISTRY


def sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_an_upload_and_its_analysis_are_measured(upload, django_capture_on_commit_callbacks):
    uploads = sample("heartmon_ecg_uploads_total", format="wfdb")
    analyses = sample("heartmon_ecg_analysis_seconds_count", outcome="done")
    tasks = sample(
        "heartmon_celery_tasks_total",
        task="heartmon.ecg.tasks.process_recording",
        outcome="success",
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert upload(seconds=20).status_code == 201

    assert sample("heartmon_ecg_uploads_total", format="wfdb") == uploads + 1
    assert sample("heartmon_ecg_analysis_seconds_count", outcome="done") == analyses + 1
    assert (
        sample(
            "heartmon_celery_tasks_total",
            task="heartmon.ecg.tasks.process_recording",
            outcome="success",
        )
        == tasks + 1
    )
