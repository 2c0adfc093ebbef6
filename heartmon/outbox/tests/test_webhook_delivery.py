"""Webhooks delivered to a real local HTTP server: signed JSON, retried with backoff, logged."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection

from heartmon.outbox.delivery import deliver_due
from heartmon.outbox.models import Message, Status, Webhook
from heartmon.outbox.services import enqueue_webhook
from heartmon.outbox.testing import webhook_receiver

SECRET = "a webhook secret of St Mary's"


def hook(organization, url: str, **fields) -> Webhook:
    return Webhook.objects.create(organization=organization, url=url, secret=SECRET, **fields)


@pytest.mark.django_db
def test_an_event_arrives_signed_with_the_secret(org_a):
    with webhook_receiver() as receiver:
        hook(org_a, receiver.url)
        enqueue_webhook(organization_id=org_a.pk, event="alarm.raised", payload={"alarm": 7})

        deliver_due()

    [request] = receiver.received
    expected = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Heartmon-Signature"] == f"sha256={expected}"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["X-Heartmon-Event"] == "alarm.raised"
    body = json.loads(request.body)
    assert (body["event"], body["data"]) == ("alarm.raised", {"alarm": 7})
    message = Message.objects.get()
    assert request.headers["X-Heartmon-Delivery"] == body["id"] == str(message.pk)
    assert message.status == Status.SENT
    assert message.attempts.get().http_status == 200


@pytest.mark.django_db
def test_every_active_webhook_of_the_organization_gets_the_event_and_no_other(org_a, org_b):
    with webhook_receiver() as mine, webhook_receiver() as theirs:
        hook(org_a, mine.url)
        hook(org_a, mine.url, description="second")
        hook(org_a, mine.url, active=False)
        hook(org_b, theirs.url)

        enqueue_webhook(organization_id=org_a.pk, event="test", payload={})
        deliver_due()

    assert len(mine.received) == 2
    assert theirs.received == []


@pytest.mark.django_db
def test_a_failing_receiver_is_retried_with_backoff(org_a):
    with webhook_receiver(statuses=[500, 503]) as receiver:
        hook(org_a, receiver.url)
        enqueue_webhook(organization_id=org_a.pk, event="test", payload={"n": 1})
        deliver_due()
        message = Message.objects.get()
        first_retry = message.next_attempt_at
        with time_machine.travel(first_retry + timedelta(seconds=1)):
            deliver_due()
        message.refresh_from_db()
        with time_machine.travel(message.next_attempt_at + timedelta(seconds=1)):
            deliver_due()

    message.refresh_from_db()
    attempts = list(message.attempts.all())
    assert [(a.ok, a.http_status) for a in attempts] == [(False, 500), (False, 503), (True, 200)]
    assert "HTTP 500" in attempts[0].error
    assert first_retry - attempts[0].at == pytest.approx(
        timedelta(seconds=30), abs=timedelta(seconds=1)
    )
    assert attempts[2].at - attempts[1].at >= timedelta(seconds=60)
    assert message.status == Status.SENT
    assert len({r.body for r in receiver.received}) == 1  # the same body each time


@pytest.mark.django_db
def test_an_unreachable_receiver_is_logged_and_retried(org_a):
    with webhook_receiver() as receiver:
        url = receiver.url
    hook(org_a, url)  # the server has stopped: nothing listens there any more
    enqueue_webhook(organization_id=org_a.pk, event="test", payload={})

    deliver_due()

    message = Message.objects.get()
    attempt = message.attempts.get()
    assert not attempt.ok
    assert attempt.http_status is None
    assert "Connection refused" in attempt.error or "URLError" in attempt.error
    assert message.status == Status.PENDING


@pytest.mark.django_db
def test_a_receiver_on_a_private_address_is_refused_unless_allowed(org_a, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
    with webhook_receiver() as receiver:
        hook(org_a, receiver.url)
        enqueue_webhook(organization_id=org_a.pk, event="test", payload={})
        deliver_due()

    assert receiver.received == []
    assert "private address" in Message.objects.get().attempts.get().error


@pytest.mark.django_db
def test_an_organization_without_webhooks_enqueues_nothing(org_a):
    assert enqueue_webhook(organization_id=org_a.pk, event="test", payload={}) == []
    assert not Message.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_workers_never_deliver_a_message_twice(org_a):
    with webhook_receiver() as receiver:
        hook(org_a, receiver.url)
        for number in range(40):
            enqueue_webhook(organization_id=org_a.pk, event="test", payload={"n": number})

        def work() -> None:
            while deliver_due(limit=3):
                pass
            connection.close()

        workers = [threading.Thread(target=work) for _ in range(4)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    numbers = sorted(json.loads(r.body)["data"]["n"] for r in receiver.received)
    assert numbers == list(range(40))
    assert Message.objects.filter(status=Status.SENT).count() == 40
