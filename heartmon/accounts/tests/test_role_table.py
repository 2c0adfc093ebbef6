"""The role table, enforced: every endpoint, every role, own or foreign organization.

The matrix is generated from `heartmon.core.roles.PERMISSIONS`: each (resource, action) of
the table names the requests (probes, in each app's `tests/role_probes.py`) that exercise it, and
each role is expected to get the probe's success status when the table allows it and 403 when it
does not. Asked about another organization's object, an allowed role gets 404; a list never shows
another organization's rows; a create lands in the actor's organization. Adding a resource or
action to the table without probes, or an endpoint guarded by the table without a probe, fails
`test_every_*` below. Device-facing endpoints (/api/v1/device/...) authenticate devices, not
people: they name no `role_resource` and are not in the matrix.
"""

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from heartmon.accounts.models import Organization, User
from heartmon.accounts.testing import client_for, make_user
from heartmon.accounts.tests import role_probes as accounts
from heartmon.accounts.tests.role_probes import Probe, World
from heartmon.alarms.tests import role_probes as alarms
from heartmon.clinic.tests import role_probes as clinic
from heartmon.core.roles import PERMISSIONS, Role, role_table_markdown
from heartmon.core.testing import assert_problem
from heartmon.devices.tests import role_probes as devices
from heartmon.ecg.tests import role_probes as ecg
from heartmon.outbox.tests import role_probes as outbox
from heartmon.telemetry.tests import role_probes as telemetry

APPS = (accounts, outbox, clinic, devices, ecg, telemetry, alarms)
PROBES = {key: probes for app in APPS for key, probes in app.PROBES.items()}
TARGETS = {resource: name for app in APPS for resource, name in app.TARGETS.items()}
OUTBOX_RESOURCES = {resource for resource, _ in outbox.PROBES}
ECG_RESOURCES = {resource for resource, _ in ecg.PROBES}
TELEMETRY_RESOURCES = {resource for resource, _ in telemetry.PROBES}
DEVICE_RESOURCES = (
    {resource for resource, _ in devices.PROBES} | ECG_RESOURCES | TELEMETRY_RESOURCES
)
ALARM_RESOURCES = {resource for resource, _ in alarms.PROBES}
CLINIC_RESOURCES = {resource for resource, _ in clinic.PROBES} | DEVICE_RESOURCES | ALARM_RESOURCES

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
def world(org_a: Organization, resource: str, settings: Any, tmp_path: Any) -> World:
    """A fresh org A per case, built only as far as the probed resource needs."""
    settings.MEDIA_ROOT = tmp_path / "media"
    objects = accounts.build(org_a)
    if resource in OUTBOX_RESOURCES:
        objects.update(outbox.build(org_a))
    if resource in CLINIC_RESOURCES:
        objects.update(clinic.build(objects))
    if resource in DEVICE_RESOURCES:
        objects.update(devices.build(objects))
    if resource in ECG_RESOURCES:
        objects.update(ecg.build(objects))
    if resource in TELEMETRY_RESOURCES:
        objects.update(telemetry.build(objects))
    if resource in ALARM_RESOURCES:
        objects.update(alarms.build(objects))
    return World(org_a=org_a, objects=objects)


def _check_allowed(response: Any, probe: Probe, world: World, actor: User) -> None:
    own = actor.organization_id == world.org_a.pk
    if probe.kind == "object" and not own:
        assert_problem(response, 404)
        return
    if probe.foreign_field and not own:
        assert_problem(response, 400, field=probe.foreign_field)
        return
    assert response.status_code == probe.ok, response.content
    if probe.row is not None:
        ids = {str(row["id"]) for row in response.json()["results"]}
        assert (world.id(probe.row) in ids) == own
    if probe.creates is not None:
        created = probe.creates._default_manager.get(pk=response.json()["id"])
        assert created.organization_id == actor.organization_id  # type: ignore[attr-defined]


def _check_fields(response: Any, probe: Probe, allowed: bool) -> None:
    """A field-level rule: every role reads the rows, only allowed roles see these fields."""
    assert response.status_code == probe.ok, response.content
    body = response.json()
    rows = body["results"] if probe.kind == "list" else [body]
    assert rows, "no row to look at"
    for row in rows:
        shown = {name for name in probe.shows if name in row}
        assert shown == (set(probe.shows) if allowed else set()), row


@pytest.mark.parametrize(("resource", "action", "probe", "role", "scope"), CASES)
def test_each_role_gets_what_the_table_says(
    resource: str, action: str, probe: Probe, role: Role, scope: str, world: World, org_b
) -> None:
    own = scope == "own"
    actor = make_user(world.org_a if own else org_b, f"{role.value}-{scope}@actor.example", role)
    extra = {"format": probe.format} if probe.format else {}

    response = getattr(client_for(actor), probe.method)(
        probe.path(world, TARGETS.get(resource, "")), probe.data(world), **extra
    )

    allowed = role in PERMISSIONS[resource][action]
    if probe.shows:  # a field-level rule: every role reads, the table decides the fields
        if own:
            _check_fields(response, probe, allowed)
        else:
            _check_allowed(response, probe, world, actor)
    elif allowed:
        _check_allowed(response, probe, world, actor)
    else:
        assert_problem(response, probe.refused)


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
