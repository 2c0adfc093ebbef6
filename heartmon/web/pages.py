"""What every page shares: who is signed in, whether their role may open it, the navigation and
the permission flags the page's script reads. A role that may not open a page gets a 403 page."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import ensure_csrf_cookie

from heartmon.core.actor import Actor
from heartmon.core.roles import PERMISSIONS, may
from heartmon.web.session import cookie_user

# (label, url name, the resource and action the role table must allow to open it)
NAVIGATION: list[tuple[str, str, tuple[str, str]]] = [
    ("Central station", "web:home", ("readings", "read")),
    ("Alarms", "web:alarms", ("alarms", "read")),
    ("Patients", "web:patients", ("patients", "read")),
    ("Admissions", "web:admissions", ("admissions", "admit")),
    ("Devices", "web:devices", ("devices", "read")),
    ("Users", "web:users", ("users", "read")),
    ("Places", "web:places", ("places", "write")),
    ("Alarm limits", "web:alarm-rules", ("alarm_rules", "read")),
    ("Webhooks", "web:webhooks", ("webhooks", "read")),
    ("Audit log", "web:audit", ("audit_events", "read")),
]

PageView = Callable[..., HttpResponse]


def permission_flags(actor: Actor) -> dict[str, bool]:
    """Every `resource_action` of the role table for this actor, e.g. `readings_read`."""
    return {
        f"{resource}_{action}": may(actor, resource, action)
        for resource, actions in PERMISSIONS.items()
        for action in actions
    }


def render_page(
    request: HttpRequest, actor: Actor, template: str, status: int = 200, **context: Any
) -> HttpResponse:
    navigation = [(label, reverse(name)) for label, name, need in NAVIGATION if may(actor, *need)]
    context.update(navigation=navigation, can=permission_flags(actor), me=request.user)
    return render(request, f"web/{template}", context, status=status)


def signin_redirect(request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(
        f"{reverse('web:signin')}?{urlencode({'next': request.get_full_path()})}"
    )


def page(need: tuple[str, str] | None = None) -> Callable[[PageView], PageView]:
    """A page for signed-in people whose role allows `need` (resource, action); the view is
    called as view(request, actor, **url_kwargs)."""

    def decorate(view: PageView) -> PageView:
        @wraps(view)
        @ensure_csrf_cookie
        def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponse:
            user = cookie_user(request)
            if user is None:
                return signin_redirect(request)
            request.user = user
            actor = user.as_actor(
                ip=request.META.get("REMOTE_ADDR"), request_id=getattr(request, "request_id", "")
            )
            if need is not None and not may(actor, *need):
                return render_page(request, actor, "forbidden.html", status=403)
            return view(request, actor, **kwargs)

        return wrapper

    return decorate


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page anyone may open (sign-in, the e-mailed links); it sets the CSRF cookie the page's
    script sends back to the API."""
    return ensure_csrf_cookie(view)
