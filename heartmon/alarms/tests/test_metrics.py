"""The alarms' metrics: alarms raised by kind, condition and priority (once committed), alarms
open by priority (read from the database by the timed checks), e-mails enqueued by reason and the
outbox's deliveries by outcome; no label carries an id."""

import pytest
from prometheus_client import REGISTRY

from heartmon.alarms.periodic import run_timed_checks
from heartmon.alarms.tests.support import series
from heartmon.clinic.models import CareTeamMember, CareTeamRole
from heartmon.outbox.delivery import deliver_due
from heartmon.outbox.models import Webhook
from heartmon.outbox.testing import webhook_receiver
from heartmon.telemetry.tests.seed import NOW


def sample(name, **labels):
    return REGISTRY.get_sample_value(name, labels) or 0.0


@pytest.fixture(autouse=True)
def _frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


RAISED = {"kind": "patient", "condition": "heart_rate", "priority": "high"}


def test_a_raised_alarm_is_counted_once_committed_and_open(send, monitored, patient, bob):
    CareTeamMember.objects.create(patient=patient, user=bob, role=CareTeamRole.NURSE)
    raised = sample("heartmon_alarms_raised_total", **RAISED)
    emailed = sample("heartmon_alarm_notifications_total", reason="raised")

    send(series([35] * 4))
    run_timed_checks(now=NOW, news2=False)

    assert sample("heartmon_alarms_raised_total", **RAISED) == raised + 1
    assert sample("heartmon_alarm_notifications_total", reason="raised") == emailed + 1
    assert sample("heartmon_alarms_open", priority="high") == 1
    assert sample("heartmon_alarms_open", priority="low") == 0


def test_deliveries_are_counted_by_kind_and_outcome(send, monitored, org_a, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True  # the receivers listen on 127.0.0.1
    sent = sample("heartmon_outbox_deliveries_total", kind="webhook", outcome="sent")
    failed = sample("heartmon_outbox_deliveries_total", kind="webhook", outcome="failed")
    with webhook_receiver() as ok, webhook_receiver(statuses=[500]) as failing:
        Webhook.objects.create(organization=org_a, url=ok.url, secret="s1")
        Webhook.objects.create(organization=org_a, url=failing.url, secret="s2")
        send(series([35] * 4))
        deliver_due()

    assert sample("heartmon_outbox_deliveries_total", kind="webhook", outcome="sent") == sent + 1
    assert (
        sample("heartmon_outbox_deliveries_total", kind="webhook", outcome="failed") == failed + 1
    )


def test_no_alarm_metric_carries_an_id(send, monitored, patient):
    send(series([35] * 4))

    for metric in REGISTRY.collect():
        if metric.name.startswith(("heartmon_alarm", "heartmon_outbox")):
            for found in metric.samples:
                assert set(found.labels) <= {"kind", "condition", "priority", "reason", "outcome"}
                assert str(patient.pk) not in str(found.labels)
