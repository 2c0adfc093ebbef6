"""The alarms pages: the organization's open alarms, and one alarm with its timeline. Each page
is a frame; its script reads the alarms API (which authorizes and audits every read)."""

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from heartmon.accounts.models import User
from heartmon.alarms.selectors import alarms_for
from heartmon.core.actor import Actor
from heartmon.web.pages import page, render_page


@page(("alarms", "read"))
def alarms(request: HttpRequest, actor: Actor) -> HttpResponse:
    return render_page(request, actor, "alarms.html")


@page(("alarms", "read"))
def alarm(request: HttpRequest, actor: Actor, pk: uuid.UUID) -> HttpResponse:
    found = get_object_or_404(alarms_for(actor), pk=pk)
    # The timeline names people by id; their names come from here, as only admins list users.
    named = User.objects.filter(pk__in=found.timeline.values("by"))
    people = {str(user.pk): user.get_full_name() or user.email for user in named}
    return render_page(request, actor, "alarm.html", alarm_id=pk, people=people)
