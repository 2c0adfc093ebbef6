"""Probes of the role table: what a probe is, the world it runs in, and the accounts' probes.

The clinic's and the devices' probes live next to their tests (`<app>/tests/role_probes.py`);
`test_role_table.py` runs them all for every role, in the actor's own organization and another.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model
from django.urls import reverse

from heartmon.accounts.models import Organization
from heartmon.accounts.testing import make_user
from heartmon.audit.services import record_event
from heartmon.core.actor import Actor
from heartmon.core.roles import Role


@dataclass
class World:
    """Org A holds the objects probed, by name; the actor is in org A (own) or org B (foreign)."""

    org_a: Organization
    objects: dict[str, Model]

    def id(self, name: str) -> str:
        return str(self.objects[name].pk)


Body = Mapping[str, Any] | Callable[[World], Mapping[str, Any]]


@dataclass(frozen=True)
class Probe:
    """One request. `kind`: "object" (org A's rows: foreign is 404), "list" (foreign rows
    absent), "create" (lands in the actor's organization) or "self" (the actor's own data).

    `url` maps URL kwargs to objects of the world (an "object" probe defaults to `pk` of its
    resource's target); `row` names an object whose id the results hold (own organization) or
    lack (a foreign list); `creates` is the model whose new row must be the actor's
    organization's; `shows` makes the rule field-level: a refused role gets `ok` without those
    fields; `foreign_field` is the body field naming an org A object, which a foreign actor
    cannot see (400); `refused` is what a role the table refuses gets."""

    url_name: str
    method: str
    kind: str
    ok: int
    body: Body = field(default_factory=dict)
    url: Mapping[str, str] = field(default_factory=dict)
    row: str | None = None
    query: str = ""
    format: str | None = None
    creates: type[Model] | None = None
    shows: tuple[str, ...] = ()
    foreign_field: str | None = None
    refused: int = 403

    def path(self, world: World, target: str) -> str:
        names = self.url or ({"pk": target} if self.kind == "object" else {})
        path = reverse(self.url_name, kwargs={key: world.id(name) for key, name in names.items()})
        return f"{path}?{self.query}" if self.query else path

    def data(self, world: World) -> Mapping[str, Any] | None:
        return (self.body(world) if callable(self.body) else self.body) or None


# The object an "object" probe of each resource targets unless it names its own URL kwargs.
TARGETS = {"users": "invitee", "organizations": "org_a", "audit_events": "event"}

PROBES: dict[tuple[str, str], list[Probe]] = {
    ("own_profile", "read"): [Probe("me", "get", "self", 200)],
    ("own_profile", "write"): [Probe("me", "patch", "self", 200, {"first_name": "Renamed"})],
    ("organizations", "read"): [
        Probe("organization-list", "get", "list", 200, row="org_a"),
        Probe("organization-detail", "get", "object", 200),
    ],
    ("organizations", "write"): [
        Probe("organization-detail", "patch", "object", 200, {"name": "Renamed"}),
    ],
    ("users", "read"): [
        Probe("user-list", "get", "list", 200, row="invitee"),
        Probe("user-detail", "get", "object", 200),
    ],
    ("users", "write"): [
        Probe(
            "user-list",
            "post",
            "create",
            202,
            {"email": "new@x.example", "first_name": "N", "last_name": "E", "role": "staff"},
        ),
        Probe("user-detail", "patch", "object", 200, {"role": "doctor"}),
        Probe("user-detail", "delete", "object", 204),
        Probe("user-deactivate", "post", "object", 200),
        Probe("user-resend-invitation", "post", "object", 202),
        Probe("user-unlock", "post", "object", 204),
    ],
    ("audit_events", "read"): [
        Probe("audit-event-list", "get", "list", 200, row="event"),
        Probe("audit-event-detail", "get", "object", 200),
    ],
}


def build(org: Organization) -> dict[str, Model]:
    """Org A's people: an invitee, an admin (so the last-admin guard rests) and a doctor."""
    invitee = make_user(org, "invitee@stmary.example", Role.NURSE, is_active=False)
    invitee.set_unusable_password()  # has not accepted the invitation yet
    invitee.save()
    return {
        "org_a": org,
        "invitee": invitee,
        "keeper": make_user(org, "keeper@stmary.example", Role.ADMIN),
        "doctor": make_user(org, "attending@stmary.example", Role.DOCTOR),
        "event": record_event(
            "test.event", actor=Actor.of_system("test", organization_id=org.pk), target=invitee
        ),
    }
