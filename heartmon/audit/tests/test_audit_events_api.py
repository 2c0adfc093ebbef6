"""GET /api/v1/audit-events/: admins read their organization's audit trail; nobody writes it."""

import uuid
from datetime import UTC, datetime

import pytest
import time_machine

from heartmon.audit.models import AuditEvent
from heartmon.audit.services import record_event
from heartmon.core.testing import assert_problem

URL = "/api/v1/audit-events/"
PATIENT = uuid.uuid4()


def at(day: int) -> datetime:
    return datetime(2026, 3, day, 12, tzinfo=UTC)


@pytest.fixture
def trail(alice, bob, charlie) -> dict[str, AuditEvent]:
    """Org A: a login by bob (1 March), a role change by alice (2 March), a chart read by bob
    about PATIENT (3 March). Org B: a login by charlie."""
    events = {}
    for name, day, action, actor, patient in [
        ("bob_login", 1, "auth.login", bob, None),
        ("role_change", 2, "user.role_changed", alice, None),
        ("chart_read", 3, "patient.read", bob, PATIENT),
        ("charlie_login", 3, "auth.login", charlie, None),
    ]:
        with time_machine.travel(at(day), tick=False):
            events[name] = record_event(action, actor=actor.as_actor(), patient_id=patient)
    return events


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [event["id"] for event in response.json()["results"]]


def test_an_admin_lists_her_organizations_events_newest_first(as_alice, trail):
    assert ids(as_alice.get(URL)) == [
        trail["chart_read"].pk,
        trail["role_change"].pk,
        trail["bob_login"].pk,
    ]


def test_an_event_shows_who_did_what_when(as_alice, trail, bob, org_a):
    event = as_alice.get(f"{URL}{trail['chart_read'].pk}/").json()

    assert event["action"] == "patient.read"
    assert event["actor"] == str(bob.pk)
    assert event["actor_email"] == bob.email
    assert event["organization"] == str(org_a.pk)
    assert event["patient_id"] == str(PATIENT)
    assert event["at"] == "2026-03-03T12:00:00Z"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "auth.login"}, ["bob_login"]),
        ({"action_prefix": "user."}, ["role_change"]),
        ({"patient_id": str(PATIENT)}, ["chart_read"]),
        ({"since": "2026-03-02T00:00:00Z"}, ["chart_read", "role_change"]),
        ({"until": "2026-03-02T12:00:00Z"}, ["bob_login"]),
        ({"since": "2026-03-02T00:00:00Z", "until": "2026-03-03T00:00:00Z"}, ["role_change"]),
    ],
)
def test_it_filters(as_alice, trail, query, expected):
    assert ids(as_alice.get(URL, query)) == [trail[name].pk for name in expected]


def test_it_filters_by_actor(as_alice, trail, bob):
    expected = [trail["chart_read"].pk, trail["bob_login"].pk]
    assert ids(as_alice.get(URL, {"actor": str(bob.pk)})) == expected


@pytest.mark.parametrize(
    "query", [{"since": "yesterday"}, {"patient_id": "not-a-uuid"}, {"actor": "42"}]
)
def test_a_malformed_filter_is_a_problem(as_alice, trail, query):
    assert_problem(as_alice.get(URL, query), 400, field=next(iter(query)))


def test_a_nurse_may_not_read_the_trail(as_bob, trail):
    assert_problem(as_bob.get(URL), 403)
    assert_problem(as_bob.get(f"{URL}{trail['bob_login'].pk}/"), 403)


def test_charlie_sees_only_his_organizations_events(as_charlie, trail):
    assert ids(as_charlie.get(URL)) == [trail["charlie_login"].pk]


def test_charlie_gets_a_404_for_org_as_events(as_charlie, trail):
    for name in ("bob_login", "role_change", "chart_read"):
        assert_problem(as_charlie.get(f"{URL}{trail[name].pk}/"), 404)


def test_filtering_by_a_foreign_actor_tells_nothing(as_charlie, trail, bob):
    """A foreign user's id and an id nobody has answer the same way: no probing for ids."""
    assert ids(as_charlie.get(URL, {"actor": str(bob.pk)})) == []
    assert ids(as_charlie.get(URL, {"actor": str(uuid.uuid4())})) == []


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_no_method_writes_the_trail(as_alice, trail, method):
    event = trail["role_change"]

    assert_problem(getattr(as_alice, method)(URL, {"action": "forged"}), 405)
    assert_problem(getattr(as_alice, method)(f"{URL}{event.pk}/", {"action": "forged"}), 405)
    event.refresh_from_db()
    assert event.action == "user.role_changed"
    assert AuditEvent.objects.count() == 4


def test_an_anonymous_client_must_authenticate(anonymous, trail):
    assert_problem(anonymous.get(URL), 401)


def test_the_list_takes_a_fixed_number_of_queries(
    as_alice, alice, bob, trail, django_assert_max_num_queries
):
    for number in range(30):
        record_event("auth.login", actor=(alice if number % 2 else bob).as_actor())

    with django_assert_max_num_queries(2):
        assert len(ids(as_alice.get(URL, {"limit": 100}))) == 33
