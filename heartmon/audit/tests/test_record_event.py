"""`record_event` and `record_read`, the only writers of the audit trail."""

import uuid
from datetime import UTC, datetime

import time_machine

from heartmon.audit.models import AuditEvent
from heartmon.audit.services import record_event, record_read
from heartmon.core.actor import ANONYMOUS, Actor


@time_machine.travel(datetime(2026, 3, 1, 8, 30, tzinfo=UTC), tick=False)
def test_it_takes_the_person_organization_ip_and_request_id_from_the_actor(alice, bob, org_a):
    patient = uuid.uuid4()

    event = record_event(
        "user.role_changed",
        actor=alice.as_actor(ip="203.0.113.9", request_id="req-1"),
        target=bob,
        patient_id=patient,
        details={"from": "nurse", "to": "doctor"},
    )

    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.actor == alice
    assert stored.organization == org_a
    assert (stored.object_type, stored.object_id) == ("accounts.user", str(bob.pk))
    assert stored.patient_id == patient
    assert (stored.ip, stored.request_id) == ("203.0.113.9", "req-1")
    assert stored.details == {"from": "nurse", "to": "doctor"}
    assert stored.at == datetime(2026, 3, 1, 8, 30, tzinfo=UTC)


def test_an_anonymous_caller_identified_as_a_user_is_recorded_as_that_user(bob, org_a):
    caller = Actor(organization_id=None, ip="198.51.100.7", request_id="req-2")

    event = record_event("auth.login", actor=caller.identified_as(bob))

    assert (event.actor, event.organization, event.ip) == (bob, org_a, "198.51.100.7")


def test_an_anonymous_caller_leaves_actor_and_organization_empty(db):
    event = record_event("auth.login_failed", actor=ANONYMOUS.identified_as(None))

    assert (event.actor, event.organization, event.ip) == (None, None, None)


def test_an_explicit_organization_wins_over_the_actors(alice, org_b):
    event = record_event(
        "organization.updated", actor=alice.as_actor(), organization_id=org_b.pk, target=org_b
    )

    assert event.organization == org_b
    assert event.object_type == "accounts.organization"


def test_a_device_or_the_system_is_no_user_and_names_only_the_organization(device, org_a):
    by_device = record_event("ecg.uploaded", actor=device.as_actor())
    by_system = record_event(
        "ecg.processed", actor=Actor.of_system("ecg-analysis"), organization_id=org_a.pk
    )

    assert (by_device.actor, by_device.organization) == (None, org_a)
    assert (by_system.actor, by_system.organization) == (None, org_a)


def test_a_read_names_every_patient_once_and_the_query(alice):
    first, second = uuid.uuid4(), uuid.uuid4()

    event = record_read(
        "patient.listed",
        actor=alice.as_actor(),
        patient_ids=[second, first, None, second],
        query="search=Byron",
    )

    assert event.details == {
        "patient_ids": sorted([str(first), str(second)]),
        "count": 2,
        "query": "search=Byron",
    }
    assert event.patient_id is None


def test_a_read_of_one_patient_files_it_under_that_patient(alice):
    patient = uuid.uuid4()

    event = record_read("patient.viewed", actor=alice.as_actor(), patient_ids=[patient, patient])

    assert AuditEvent.objects.get(pk=event.pk).patient_id == patient


def test_a_request_through_the_api_is_recorded_with_its_request_id(as_alice, alice, bob):
    response = as_alice.patch(
        f"/api/v1/users/{bob.pk}/", {"role": "doctor"}, HTTP_X_REQUEST_ID="trace-12345678"
    )

    event = AuditEvent.objects.get(action="user.role_changed")
    assert response["X-Request-ID"] == "trace-12345678"
    assert (event.request_id, event.ip, event.actor) == ("trace-12345678", "127.0.0.1", alice)
