"""Alarm notifications through the outbox: e-mails to the care team (and, for an alarm left
unacknowledged, the attending doctor and the admins) and a webhook event per change, written in
the transaction of the change, with no patient name or number in subjects or payloads."""

import hashlib
import hmac
import json
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction

from heartmon.alarms.engine import RAISED, Change
from heartmon.alarms.models import Alarm, Step
from heartmon.alarms.periodic import run_timed_checks
from heartmon.alarms.services.alarms import Subject, acknowledge, raise_alarm
from heartmon.alarms.tests.support import series
from heartmon.clinic.models import CareTeamMember, CareTeamRole
from heartmon.outbox.delivery import deliver_due
from heartmon.outbox.models import Kind, Message, Webhook
from heartmon.outbox.testing import webhook_receiver
from heartmon.telemetry.tests.seed import NOW

SECRET = "the ward's webhook secret"
NAMES = ("Ada", "Okafor", "MRN-1")


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


@pytest.fixture
def care_team(patient, bob, dana):
    for user, role in ((bob, CareTeamRole.PRIMARY_NURSE), (dana, CareTeamRole.CONSULTANT)):
        CareTeamMember.objects.create(patient=patient, user=user, role=role)
    return [bob, dana]


def emails():
    return Message.objects.filter(kind=Kind.EMAIL)


def webhook_events():
    """The events enqueued (the clock is frozen: in no particular order)."""
    return sorted(Message.objects.filter(kind=Kind.WEBHOOK).values_list("event", flat=True))


def raise_high_alarm(patient):
    subject = Subject(
        patient_id=patient.pk, organization_id=patient.organization_id, condition="heart_rate"
    )
    return raise_alarm(subject, Change(RAISED, NOW.timestamp(), "high", 35.0))


def test_a_raised_alarm_emails_the_care_team_without_the_patients_name(
    send, monitored, patient, care_team, alice
):
    send(series([130] * 8))

    assert sorted(emails().values_list("recipient", flat=True)) == sorted(
        user.email for user in care_team
    )
    for message in emails():
        assert "medium alarm, Heart rate, raised" in message.subject
        assert not any(name in message.subject for name in NAMES)
        assert f"/patients/{patient.pk}" in message.body
    told = Alarm.objects.get().timeline.get(step=Step.NOTIFIED)
    assert sorted(told.details["recipients"]) == sorted(str(user.pk) for user in care_team)


@transaction.atomic
def raise_then_fail(patient, enqueued):
    raise_high_alarm(patient)
    enqueued.extend(Message.objects.values_list("kind", flat=True))
    raise RuntimeError("the change fails after the alarm was written")


def test_nothing_is_enqueued_when_the_alarm_change_rolls_back(patient, care_team, org_a):
    Webhook.objects.create(organization=org_a, url="https://example.org/hook", secret=SECRET)
    enqueued: list[str] = []
    with pytest.raises(RuntimeError):
        raise_then_fail(patient, enqueued)

    assert sorted(enqueued) == [Kind.EMAIL, Kind.EMAIL, Kind.WEBHOOK]
    assert not Alarm.objects.exists()
    assert not Message.objects.exists()


def test_a_member_without_an_email_or_inactive_gets_none(patient, care_team, bob, dana):
    type(bob).objects.filter(pk=bob.pk).update(is_active=False)

    raise_high_alarm(patient)

    assert list(emails().values_list("recipient", flat=True)) == [dana.email]


def test_an_unacknowledged_alarm_also_emails_the_admins(send, monitored, care_team, alice, bob):
    send(series([130] * 8))
    emails().delete()

    run_timed_checks(now=NOW + timedelta(seconds=200), news2=False)

    recipients = set(emails().values_list("recipient", flat=True))
    assert {alice.email, bob.email} <= recipients
    assert all(
        "still unacknowledged" in subject for subject in emails().values_list("subject", flat=True)
    )


def test_every_change_is_a_webhook_event_without_names(patient, care_team, org_a, dana):
    Webhook.objects.create(organization=org_a, url="https://example.org/hook", secret=SECRET)
    alarm = raise_high_alarm(patient)
    acknowledge(alarm=alarm, note="seen", actor=dana.as_actor())

    assert webhook_events() == ["alarm.acknowledged", "alarm.raised"]
    acknowledged: dict[str, Any] = Message.objects.get(event="alarm.acknowledged").payload or {}
    assert acknowledged["alarm"] == str(alarm.pk)
    assert acknowledged["patient"] == str(patient.pk)
    assert acknowledged["by"] == str(dana.pk)
    assert (acknowledged["priority"], acknowledged["condition"]) == ("high", "heart_rate")
    assert not any(name in json.dumps(acknowledged) for name in NAMES)


def test_a_cleared_non_latching_alarm_publishes_cleared_and_closed(send, monitored, org_a):
    Webhook.objects.create(organization=org_a, url="https://example.org/hook", secret=SECRET)
    send(series([130] * 8, end=NOW - timedelta(seconds=60)))
    send(series([80] * 30))

    assert webhook_events() == ["alarm.cleared", "alarm.closed", "alarm.raised"]


def test_an_alarm_from_a_device_batch_reaches_a_real_receiver_signed(
    send, monitored, patient, org_a, settings
):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # the receiver listens on 127.0.0.1
    with webhook_receiver() as receiver:
        Webhook.objects.create(organization=org_a, url=receiver.url, secret=SECRET)
        send(series([35] * 4))

        deliver_due()

    [request] = receiver.received
    expected = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Heartmon-Signature"] == f"sha256={expected}"
    body = json.loads(request.body)
    assert body["event"] == "alarm.raised"
    alarm = Alarm.objects.get()
    assert body["data"]["alarm"] == str(alarm.pk)
    assert (body["data"]["priority"], body["data"]["value"]) == ("high", 35.0)
    assert not any(name.encode() in request.body for name in NAMES)
