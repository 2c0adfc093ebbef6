"""Celery task outcomes, counted from Celery's signals in whichever process runs the task (a
worker, or the web process when tasks run eagerly)."""

from typing import Any

from celery.signals import task_failure, task_retry, task_success

from heartmon.metrics.registry import CELERY_TASKS


def _task_name(sender: Any) -> str:
    return getattr(sender, "name", None) or "unknown"


@task_success.connect
def _succeeded(sender: Any = None, **kwargs: Any) -> None:
    CELERY_TASKS.labels(_task_name(sender), "success").inc()


@task_failure.connect
def _failed(sender: Any = None, **kwargs: Any) -> None:
    CELERY_TASKS.labels(_task_name(sender), "failure").inc()


@task_retry.connect
def _retried(sender: Any = None, **kwargs: Any) -> None:
    CELERY_TASKS.labels(_task_name(sender), "retry").inc()
