"""Admins' pages: users and invitations, places, alarm limits and timings (clinicians read
them), webhooks, the audit log."""

from django.http import HttpRequest, HttpResponse

from heartmon.core.actor import Actor
from heartmon.core.roles import Role
from heartmon.web.pages import page, render_page


@page(("users", "read"))
def users(request: HttpRequest, actor: Actor) -> HttpResponse:
    roles = [(role.value, role.label) for role in Role]
    return render_page(request, actor, "users.html", roles=roles, roles_json=roles)


@page(("places", "write"))
def places(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render_page(request, actor, "places.html")


@page(("alarm_rules", "read"))
def alarm_rules(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The alarm limits and the organization's alarm timings: clinicians read them, admins
    change them."""
    return render_page(request, actor, "alarm_rules.html")


@page(("audit_events", "read"))
def audit(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render_page(request, actor, "audit.html")


@page(("webhooks", "read"))
def webhooks(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render_page(request, actor, "webhooks.html")
