"""`record_event`, the one helper that writes the audit trail."""

import uuid
from datetime import UTC, datetime

import time_machine
from django.contrib.auth.models import AnonymousUser
from rest_framework.test import APIRequestFactory

from heartmon.audit.models import AuditEvent
from heartmon.audit.services import record_event


def request_by(user, *, ip="203.0.113.9", request_id="req-1"):
    request = APIRequestFactory().get("/", REMOTE_ADDR=ip)
    request.user = user
    request.request_id = request_id  # type: ignore[attr-defined]
    return request


@time_machine.travel(datetime(2026, 3, 1, 8, 30, tzinfo=UTC), tick=False)
def test_it_takes_actor_organization_ip_and_request_id_from_the_request(alice, bob, org_a):
    patient = uuid.uuid4()

    event = record_event(
        "user.role_changed",
        request=request_by(alice),
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


def test_an_explicit_actor_wins_over_the_anonymous_request(bob, org_a):
    event = record_event("auth.login", request=request_by(AnonymousUser()), actor=bob)

    assert (event.actor, event.organization) == (bob, org_a)


def test_an_anonymous_request_leaves_actor_and_organization_empty(db):
    event = record_event("auth.login_failed", request=request_by(AnonymousUser()))

    assert (event.actor, event.organization, event.ip) == (None, None, "203.0.113.9")


def test_an_explicit_organization_wins_over_the_actors(alice, org_b):
    event = record_event("organization.updated", actor=alice, organization=org_b, target=org_b)

    assert event.organization == org_b
    assert event.object_type == "accounts.organization"


def test_without_a_request_there_is_no_ip_or_request_id(alice):
    event = record_event("auth.logout", actor=alice)

    assert (event.ip, event.request_id, event.details) == (None, "", {})


def test_a_request_through_the_api_is_recorded_with_its_request_id(as_alice, alice, bob):
    response = as_alice.patch(
        f"/api/v1/users/{bob.pk}/", {"role": "doctor"}, HTTP_X_REQUEST_ID="trace-12345678"
    )

    event = AuditEvent.objects.get(action="user.role_changed")
    assert response["X-Request-ID"] == "trace-12345678"
    assert (event.request_id, event.ip, event.actor) == ("trace-12345678", "127.0.0.1", alice)
