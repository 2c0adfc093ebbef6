"""Staff and technicians' pages: admissions (admit, transfer, discharge) and devices."""

import uuid

from django.http import Http404, HttpRequest, HttpResponse

from heartmon.core.actor import Actor
from heartmon.devices.selectors import devices_for
from heartmon.web.pages import page, render_page


@page(("admissions", "admit"))
def admissions(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render_page(request, actor, "admissions.html")


@page(("devices", "read"))
def devices(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render_page(request, actor, "devices.html")


@page(("devices", "read"))
def device(request: HttpRequest, actor: Actor, pk: uuid.UUID) -> HttpResponse:
    if not devices_for(actor).filter(pk=pk).exists():
        raise Http404("No such device.")
    return render_page(request, actor, "device.html", device_id=pk)
