"""The role table, enforced: every endpoint, every role, own or foreign organization.

The matrix is generated from `heartmon.accounts.roles.PERMISSIONS`: each (resource, action) of
the table names the requests (probes) that exercise it, and each role is expected to get the
probe's success status when the table allows it and 403 when it does not. Asked about another
organization's object, an allowed role gets 404; a list never shows another organization's rows.
Adding a resource or action to the table without probes here, or an endpoint guarded by the
table without a probe, fails `test_every_*` below.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from heartmon.accounts.models import Organization, User
from heartmon.accounts.roles import PERMISSIONS, Role, role_table_markdown
from heartmon.audit.models import AuditEvent
from heartmon.audit.services import record_event
from heartmon.core.testing import assert_problem, client_for, make_user


@dataclass
class World:
    """Org A holds the objects probed; the acting user is in org A (own) or org B (foreign)."""

    org_a: Organization
    invitee: User  # a nurse of org A who has not accepted her invitation yet
    event: AuditEvent

    def target_id(self, resource: str) -> str:
        return str(
            {"users": self.invitee, "organizations": self.org_a, "audit_events": self.event}[
                resource
            ].pk
        )


@dataclass(frozen=True)
class Probe:
    """One request. `kind`: "object" (one row: foreign is 404), "list" (foreign rows absent),
    "create" (lands in the actor's organization) or "self" (the actor's own data)."""

    url_name: str
    method: str
    kind: str
    ok: int
    body: dict[str, Any] = field(default_factory=dict)

    def path(self, world: World, resource: str) -> str:
        if self.kind == "object":
            return reverse(self.url_name, kwargs={"pk": world.target_id(resource)})
        return reverse(self.url_name)


PROBES: dict[tuple[str, str], list[Probe]] = {
    ("own_profile", "read"): [Probe("me", "get", "self", 200)],
    ("own_profile", "write"): [Probe("me", "patch", "self", 200, {"first_name": "Renamed"})],
    ("organizations", "read"): [
        Probe("organization-list", "get", "list", 200),
        Probe("organization-detail", "get", "object", 200),
    ],
    ("organizations", "write"): [
        Probe("organization-detail", "patch", "object", 200, {"name": "Renamed"}),
    ],
    ("users", "read"): [
        Probe("user-list", "get", "list", 200),
        Probe("user-detail", "get", "object", 200),
    ],
    ("users", "write"): [
        Probe(
            "user-list",
            "post",
            "create",
            201,
            {"email": "new@x.example", "first_name": "N", "last_name": "E", "role": "staff"},
        ),
        Probe("user-detail", "patch", "object", 200, {"role": "doctor"}),
        Probe("user-detail", "delete", "object", 204),
        Probe("user-resend-invitation", "post", "object", 202),
    ],
    ("audit_events", "read"): [
        Probe("audit-event-list", "get", "list", 200),
        Probe("audit-event-detail", "get", "object", 200),
    ],
}

CASES = [
    pytest.param(
        resource,
        action,
        probe,
        role,
        scope,
        id=f"{resource}.{action}-{probe.method}-{probe.url_name}-{role.value}-{scope}",
    )
    for resource, actions in PERMISSIONS.items()
    for action in actions
    for probe in PROBES.get((resource, action), [])
    for role in Role
    for scope in ("own", "foreign")
]


@pytest.fixture
def world(org_a: Organization) -> World:
    invitee = make_user(org_a, "invitee@stmary.example", Role.NURSE, is_active=False)
    invitee.set_unusable_password()  # has not accepted the invitation yet
    invitee.save()
    make_user(org_a, "keeper@stmary.example", Role.ADMIN)  # the last-admin guard stays quiet
    event = record_event("test.event", organization=org_a, target=invitee)
    return World(org_a=org_a, invitee=invitee, event=event)


def _check_allowed(response: Any, probe: Probe, world: World, resource: str, actor: User) -> None:
    own = actor.organization_id == world.org_a.pk
    if probe.kind == "object" and not own:
        assert_problem(response, 404)
        return
    assert response.status_code == probe.ok, response.content
    if probe.kind == "list":
        ids = {str(row["id"]) for row in response.json()["results"]}
        assert (world.target_id(resource) in ids) == own
    if probe.kind == "create":
        assert User.objects.get(email=probe.body["email"]).organization_id == actor.organization_id


@pytest.mark.parametrize(("resource", "action", "probe", "role", "scope"), CASES)
def test_each_role_gets_what_the_table_says(
    resource: str, action: str, probe: Probe, role: Role, scope: str, world: World, org_b
) -> None:
    organization = world.org_a if scope == "own" else org_b
    actor = make_user(organization, f"{role.value}-{scope}@actor.example", role)

    response = getattr(client_for(actor), probe.method)(
        probe.path(world, resource), probe.body or None
    )

    if role in PERMISSIONS[resource][action]:
        _check_allowed(response, probe, world, resource, actor)
    else:
        assert_problem(response, 403)


def test_every_action_of_the_table_has_probes() -> None:
    missing = [key for key in _table_keys() if not PROBES.get(key)]
    assert not missing, f"add probes for {missing}"
    assert set(PROBES) <= set(_table_keys()), "probes for actions the table no longer has"


def test_every_endpoint_guarded_by_the_table_is_probed() -> None:
    probed = {(probe.url_name, probe.method) for probes in PROBES.values() for probe in probes}
    guarded = {
        (name, method)
        for name, view in _named_views(get_resolver())
        if getattr(getattr(view, "cls", None), "role_resource", None)
        for method in _methods(view)
    }
    assert guarded, "no endpoint found: the URL walk is broken"
    assert guarded <= probed, f"unprobed endpoints: {sorted(guarded - probed)}"


def _table_keys() -> list[tuple[str, str]]:
    return [(resource, action) for resource, actions in PERMISSIONS.items() for action in actions]


def _named_views(resolver: URLResolver) -> list[tuple[str, Callable[..., Any]]]:
    found: list[tuple[str, Callable[..., Any]]] = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            found.extend(_named_views(pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            found.append((pattern.name, pattern.callback))
    return found


def _methods(view: Any) -> set[str]:
    """The methods a viewset route answers (its `actions`), or an APIView's handlers."""
    actions = getattr(view, "actions", None)
    if actions is None:
        actions = {m: m for m in view.cls.http_method_names if hasattr(view.cls, m)}
    allowed = set(view.cls.http_method_names) - {"head", "options"}
    return {method for method in actions if method in allowed}


def test_the_roles_command_prints_the_table_for_the_readme() -> None:
    out = io.StringIO()

    call_command("roles", stdout=out)

    assert out.getvalue() == role_table_markdown() + "\n"
    assert "| users | write | ✓ |  |  |  |  |" in out.getvalue()
