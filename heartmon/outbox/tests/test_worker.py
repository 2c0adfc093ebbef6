"""Who delivers: `heartmon deliver_outbox` (the demo's loop) or, with a broker, a Celery task
started after the commit; never the request itself when tasks run in-process."""

import io
import os
import signal
import subprocess
import sys

import pytest
from django.core import mail
from django.core.management import call_command

from heartmon.outbox.models import Message, Status
from heartmon.outbox.services import enqueue_email
from heartmon.outbox.tasks import deliver_due_messages

pytestmark = pytest.mark.django_db


def queue() -> Message:
    return enqueue_email(to="bob@stmary.example", subject="Hello", body="Hi")


def test_the_command_delivers_what_is_due(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = queue()
    out = io.StringIO()

    assert callbacks == []  # no broker: nothing is sent inside the transaction's request
    assert mail.outbox == []
    call_command("deliver_outbox", "--once", stdout=out)

    assert "1 message(s) tried, 0 forgotten" in out.getvalue()
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == Status.SENT


def test_with_a_broker_a_task_delivers_after_the_commit(
    settings, django_capture_on_commit_callbacks
):
    settings.CELERY_BROKER_URL = "memory://"  # the app itself still runs tasks eagerly in tests

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        queue()
    assert mail.outbox == []
    for callback in callbacks:
        callback()

    assert len(mail.outbox) == 1


def test_the_celery_task_delivers_what_is_due():
    queue()

    assert deliver_due_messages() == 1
    assert len(mail.outbox) == 1


def test_the_loop_stops_cleanly_on_sigterm(tmp_path):
    """Run as a process, as in production: SIGTERM ends it between rounds, exit status 0."""
    loop = subprocess.Popen(
        [sys.executable, "-m", "heartmon.cli", "deliver_outbox", "--interval", "0.2"],
        env={**os.environ, "VAR_DIR": str(tmp_path)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert loop.stdout is not None
    assert "Delivering" in loop.stdout.readline()  # started, its signal handlers in place

    loop.send_signal(signal.SIGTERM)

    assert loop.wait(timeout=15) == 0
