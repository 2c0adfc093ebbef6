"""Subscribing: tenancy and the role table decide, refusals are problems, patient data is
audited once per subscription."""

import pytest

from heartmon.audit.models import AuditEvent
from heartmon.clinic.models import Admission
from heartmon.live.access import SUBSCRIBED
from heartmon.live.tests.sockets import next_message, run, signed_in, subscribe

pytestmark = pytest.mark.django_db


def subscribed_to(user, stream: str) -> dict:
    answers = {}

    async def scenario():
        communicator = await signed_in(user)
        answers["reply"] = await subscribe(communicator, stream)
        await communicator.disconnect()

    run(scenario)
    return answers["reply"]


@pytest.mark.parametrize("who", ["alice", "dana", "bob"])
def test_admins_doctors_and_nurses_watch_a_patient(request, who, patient):
    reply = subscribed_to(request.getfixturevalue(who), f"patient:{patient.pk}")
    assert reply == {
        "type": "subscribed",
        "stream": f"patient:{patient.pk}",
        "patients": [str(patient.pk)],
    }


@pytest.mark.parametrize("who", ["sam", "tess"])
@pytest.mark.parametrize("stream", ["patient", "place", "alarms"])
def test_staff_and_technicians_may_not_watch(request, who, stream, patient, ward):
    name = {"patient": f"patient:{patient.pk}", "place": f"place:{ward.pk}"}.get(stream, stream)
    reply = subscribed_to(request.getfixturevalue(who), name)
    assert reply["type"] == "error"
    assert reply["request"] == {"type": "subscribe", "stream": name}
    assert reply["problem"]["status"] == 403
    assert reply["problem"]["type"] == "urn:heartmon:problem:permission-denied"
    assert not AuditEvent.objects.filter(action=SUBSCRIBED).exists()


@pytest.mark.parametrize("kind", ["patient", "place"])
def test_another_organizations_patient_or_place_is_not_found(kind, charlie, patient, ward):
    target = patient if kind == "patient" else ward
    reply = subscribed_to(charlie, f"{kind}:{target.pk}")
    assert reply["problem"]["status"] == 404
    assert reply["problem"]["title"] == "Not found"


@pytest.mark.parametrize("stream", ["patient:12", "bed:1", "", None, "alarms:x"])
def test_a_malformed_stream_is_a_validation_error(bob, stream):
    reply = subscribed_to(bob, stream)
    assert reply["problem"]["status"] == 400
    assert "stream" in reply["problem"]["errors"]


def test_a_place_carries_every_patient_admitted_under_it(alice, dana, ward, bed, patient, patient2):
    Admission.objects.create(
        organization=ward.organization, patient=patient, place=bed, bed=bed, admitted_by=alice
    )
    Admission.objects.create(
        organization=ward.organization, patient=patient2, place=ward, admitted_by=alice
    )
    reply = subscribed_to(dana, f"place:{ward.pk}")
    assert sorted(reply["patients"]) == sorted([str(patient.pk), str(patient2.pk)])
    event = AuditEvent.objects.get(action=SUBSCRIBED)
    assert event.actor_id == dana.pk
    assert event.details["count"] == 2
    assert event.details["query"] == f"place:{ward.pk}"


def test_a_subscription_to_a_patient_is_audited_once(bob, patient):
    async def scenario():
        communicator = await signed_in(bob)
        await subscribe(communicator, f"patient:{patient.pk}")
        await subscribe(communicator, f"patient:{patient.pk}")
        await communicator.disconnect()

    run(scenario)
    event = AuditEvent.objects.get(action=SUBSCRIBED)
    assert event.patient_id == patient.pk
    assert event.actor_id == bob.pk


def test_the_alarm_feed_is_the_organizations(alice):
    assert subscribed_to(alice, "alarms") == {
        "type": "subscribed",
        "stream": "alarms",
        "patients": [],
    }


def test_unsubscribing_says_so(bob, patient):
    async def scenario():
        communicator = await signed_in(bob)
        await subscribe(communicator, f"patient:{patient.pk}")
        await communicator.send_json_to({"type": "unsubscribe", "stream": f"patient:{patient.pk}"})
        reply = await next_message(communicator)
        assert reply == {"type": "unsubscribed", "stream": f"patient:{patient.pk}"}
        await communicator.disconnect()

    run(scenario)
