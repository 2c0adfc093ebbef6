"""E-mails through the outbox: written in the caller's transaction, sent by the worker, retried
with backoff when the mail server fails, and erased once sent."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from heartmon.outbox.delivery import backoff, deliver_due, purge_finished
from heartmon.outbox.models import Message, Status
from heartmon.outbox.services import enqueue_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False


def queue(**changes) -> Message:
    fields = {"to": "bob@stmary.example", "subject": "Hello", "body": "A link: x", **changes}
    return enqueue_email(**fields)


def test_enqueuing_sends_nothing_until_the_worker_runs(org_a):
    message = queue(html="<p>A link</p>", organization_id=org_a.pk)

    assert mail.outbox == []
    assert deliver_due() == 1
    [sent] = mail.outbox
    assert isinstance(sent, EmailMultiAlternatives)
    assert (sent.to, sent.subject, sent.body) == (["bob@stmary.example"], "Hello", "A link: x")
    assert sent.alternatives[0][0] == "<p>A link</p>"
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.attempts.get().ok


def test_a_sent_message_keeps_no_body(org_a):
    message = queue()
    deliver_due()

    message.refresh_from_db()
    assert (message.body, message.html, message.subject) == ("", "", "Hello")


def change_that_fails() -> None:
    with transaction.atomic():
        queue()
        raise RuntimeError("the change failed")


def test_a_rolled_back_transaction_leaves_no_message():
    with pytest.raises(RuntimeError):
        change_that_fails()

    assert not Message.objects.exists()
    assert deliver_due() == 0


def test_a_failing_mail_server_is_retried_with_backoff_then_recovers(smtp_down, settings):
    message = queue()

    deliver_due()

    message.refresh_from_db()
    attempt = message.attempts.get()
    assert not attempt.ok
    assert "ConnectionRefusedError" in attempt.error
    assert attempt.duration_ms >= 0
    assert message.status == Status.PENDING
    wait = message.next_attempt_at - attempt.at
    assert timedelta(seconds=29) < wait <= timedelta(seconds=31)
    assert deliver_due() == 0  # not yet due
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(message.next_attempt_at + timedelta(seconds=1)):
        assert deliver_due() == 1
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert [a.ok for a in message.attempts.all()] == [False, True]
    assert len(mail.outbox) == 1


def test_the_backoff_doubles_up_to_an_hour():
    waits = [backoff(n).total_seconds() for n in range(1, 10)]

    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]


def test_a_message_still_failing_after_24_hours_is_given_up(smtp_down):
    message = queue()
    with time_machine.travel(timezone.now() + timedelta(hours=24, seconds=1)):
        deliver_due()

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.body == ""
    assert message.finished_at is not None


def test_a_claimed_message_is_not_taken_by_another_worker():
    """The second worker's claim finds the first worker's message leased, not due."""
    from heartmon.outbox import delivery

    queue()
    claimed = delivery._claim(10)

    assert len(claimed) == 1
    assert delivery._claim(10) == []
    assert deliver_due() == 0


def test_finished_messages_are_forgotten_after_the_keeping_period(settings):
    settings.OUTBOX_KEEP_DAYS = 30
    old, recent = queue(), queue()
    deliver_due()
    Message.objects.filter(pk=old.pk).update(finished_at=timezone.now() - timedelta(days=31))
    waiting = queue()
    Message.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(days=40))

    assert purge_finished() == 1

    assert set(Message.objects.values_list("pk", flat=True)) == {recent.pk, waiting.pk}
